//! annals-engine (being written).
