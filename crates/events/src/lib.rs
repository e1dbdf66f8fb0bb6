//! annals-events (being written).
