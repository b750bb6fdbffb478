//! Duplicates and replays of one order.
