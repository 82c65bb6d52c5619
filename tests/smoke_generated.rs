use khitomer::core::game::Game;
use khitomer::core::generate::{GalaxyParams, generate};

#[test]
fn generated_galaxy_plays_turns() {
    let mut game = Game::new(generate(GalaxyParams::proportional(2_000, 3)));
    for _ in 0..5 {
        let report = game.play_turn().expect("not over");
        println!("turn {} events {}", report.turn, report.events.len());
    }
}
