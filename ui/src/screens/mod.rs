pub mod appeals;
pub mod ballot;
pub mod home;
pub mod outbox;
pub mod proposals;
pub mod results;
pub mod settings;
pub mod setup;
