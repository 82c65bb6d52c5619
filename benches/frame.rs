//! The window's work in a frame, without the renderer: the game's logic, the map's tiles and
//! fleet markers as entities, the route gizmos and the panels (drawn into an egui context of
//! their own), on a generated galaxy. DESIGN.md's budget: under 4 ms on 10,000 sectors and
//! 2,000 fleets.
//!
//! Measured: a frame in which nothing changes but the pointer over the map and a fleet
//! selected with a route aimed (what the game does 60 times a second while a person thinks),
//! and, apart, the frame after a turn, which redraws the map from the new world.

use std::hint::black_box;
use std::time::Duration;

use bevy::asset::AssetPlugin;
use bevy::gizmos::GizmoPlugin;
use bevy::input::InputPlugin;
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use khitomer::core::generate::{GalaxyParams, generate};
use khitomer::core::ids::SectorId;
use khitomer::core::seat::Seats;
use khitomer::core::state::WorldState;
use khitomer::driver::Driver;
use khitomer::gui::command::Command;
use khitomer::gui::playing::{Origin, Playing};
use khitomer::gui::{Screen, headless, logic};
use khitomer::session::Session;

fn frame_app(state: WorldState) -> App {
    let person = state.factions[0].key.clone();
    let driver = Driver::new(
        Session::single(state),
        Seats::default().with_person(&person),
    );
    let playing = Playing::new(
        driver,
        Origin {
            play: "generated".into(),
            seed: 0,
            mods: Vec::new(),
        },
    );
    let mut app = App::new();
    app.add_plugins((
        MinimalPlugins,
        StatesPlugin,
        InputPlugin,
        AssetPlugin::default(),
    ));
    // The gizmos' own systems read meshes; there is no renderer to give them.
    app.init_asset::<Mesh>()
        .init_asset::<bevy::mesh::skinning::SkinnedMeshInverseBindposes>();
    app.add_plugins((GizmoPlugin, logic::plugin, headless::plugin));
    app.insert_resource(playing);
    app.world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::Game);
    for _ in 0..3 {
        app.update();
    }
    app
}

/// Selects the person's first fleet and aims it a few sectors away.
fn select_and_aim(app: &mut App) {
    let playing = app.world().resource::<Playing>();
    let driver = playing.driver().expect("between turns");
    let me = playing.seat_at_hand().expect("the person's turn");
    let state = driver.game().state();
    let fleet = state
        .fleets
        .iter()
        .find(|f| f.owner == me)
        .expect("a fleet");
    let target = (0..state.sectors.len())
        .map(SectorId::from_index)
        .find(|&s| driver.route(fleet.id, s).is_ok_and(|r| r.path.len() == 4))
        .expect("somewhere to go");
    let (id, at) = (fleet.id, fleet.sector);
    app.world_mut()
        .write_message(Command::SelectFleet(Some(id)));
    app.update();
    app.world_mut().write_message(Command::ClickSector(at));
    app.world_mut()
        .write_message(Command::SelectFleet(Some(id)));
    app.world_mut().write_message(Command::Aim(target));
    app.update();
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let shipped = {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let lib = khitomer::content::Library::load(&khitomer::content::ContentPaths::under(root));
        let index = lib
            .scenarios
            .iter()
            .position(|s| s.id() == "tau_dewa_2409")
            .unwrap();
        khitomer::content::build_world(&lib, index, None).unwrap()
    };
    let mut cases = vec![("tau_dewa_2409".to_owned(), shipped)];
    let params = GalaxyParams::proportional(10_000, 2409);
    cases.push((
        format!("{}_sectors_{}_fleets", params.sectors, params.fleets),
        generate(params),
    ));
    for (label, state) in cases {
        let mut app = frame_app(state.clone());
        select_and_aim(&mut app);
        group.bench_function(BenchmarkId::new("steady", &label), |b| {
            b.iter(|| {
                app.update();
                black_box(app.world().resource::<Playing>().generation)
            })
        });
        // The frame after a turn: the world (copied out on the thread that resolved the
        // turn) is new, and the map is redrawn from it.
        let after = app
            .world()
            .resource::<Playing>()
            .driver()
            .unwrap()
            .game()
            .state();
        group.bench_function(BenchmarkId::new("after_a_turn", &label), |b| {
            b.iter_batched(
                || after.clone(),
                |state| {
                    app.world_mut()
                        .resource_mut::<Playing>()
                        .world_changed(state);
                    app.update();
                },
                criterion::BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
