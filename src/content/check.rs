//! Checks that need the whole of a scenario: events that can never fire, and effects that
//! name things that will not exist yet when they run.
