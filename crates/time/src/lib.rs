//! annals-time (being written).
