//! Release versions, calendars, schedules and upgrade paths.

mod version;

pub use version::Version;
