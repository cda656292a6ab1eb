//! The server's one integration-test binary: the `rasoat` command as a process, and the HTTP
//! sync server over real databases (a SQLite file per test and a throwaway PostgreSQL).

mod browser;
mod cli;
mod convergence;
mod kill;
mod support;
mod sync;
mod web;
