//! Verifying a replay: a 100-turn game of the default scenario (`tau_dewa_2409`, its calendar
//! stretched to 100 turns) replayed turn by turn, every state hash, phase hash and part digest
//! checked. The bar: well under a second.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use khitomer::content::{ContentPaths, Library, build_world};
use khitomer::core::seat::Seats;
use khitomer::core::state::WorldState;
use khitomer::driver::Driver;
use khitomer::record::replay::Replay;
use khitomer::session::Session;

fn default_scenario_for_100_turns() -> WorldState {
    let lib = Library::load(&ContentPaths::under(Path::new(env!("CARGO_MANIFEST_DIR"))));
    let index = lib
        .scenarios
        .iter()
        .position(|s| s.id() == "tau_dewa_2409")
        .expect("shipped");
    let mut world = build_world(&lib, index, None).expect("resolves");
    world.calendar.last_turn = 100;
    world
}

fn record(world: &WorldState) -> Replay {
    let replay = Replay::new("tau_dewa_2409".into(), vec![], vec![], 0, Seats::default());
    let mut driver =
        Driver::new(Session::single(world.clone()), Seats::default()).record_into(replay);
    driver
        .play_on(None, |_, _| Ok::<(), ()>(()), |_, _| Ok(()))
        .expect("plays");
    driver.take_recording().expect("recorded")
}

fn verify(c: &mut Criterion) {
    let world = default_scenario_for_100_turns();
    let replay = record(&world);
    let text = replay.to_ron();
    let mut group = c.benchmark_group("replay");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function(
        format!("verify_{}_turns_of_tau_dewa_2409", replay.turns.len()),
        |b| {
            b.iter(|| {
                let read: Replay = ron::from_str(&text).expect("reads back");
                let mut driver = Driver::new(Session::single(world.clone()), read.seats.clone());
                for record in &read.turns {
                    let turn = driver.replay_turn(record).expect("replays");
                    assert!(turn.parting.is_none());
                }
                black_box(driver.game().state_hash())
            })
        },
    );
    group.finish();
}

criterion_group!(benches, verify);
criterion_main!(benches);
