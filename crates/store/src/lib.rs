//! annals-store (being written).
