//! The server's integration tests, one module per area, built into one
//! test program: each program links the whole server (about 250 MB in a
//! debug build), so one program instead of one per file saves a link per
//! file on every build. The areas still run in parallel, as one program's
//! tests do; they share only the process's clock, which every test pins to
//! the same day (`common::pin_clock`).

#[path = "../common/mod.rs"]
mod common;

mod access;
mod api;
mod authorization;
mod barriers;
mod benchmarks;
mod cache;
mod channel_journeys;
mod cli;
mod costs;
mod database;
mod faults;
mod imports;
mod life_event_catalogue;
mod malformed;
mod metrics;
mod negotiation;
mod open_data;
mod portable;
mod reports;
mod satisfaction;
mod security;
mod servers;
mod service_inventory;
mod static_files;
mod tell_us_once;
mod tell_us_once_fixtures;
