//! annals-notes (being written).
