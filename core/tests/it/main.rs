//! Integration tests: everything talks to a real mock gateway on loopback.

mod vectors;
