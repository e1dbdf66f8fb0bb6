//! annals-know (being written).
