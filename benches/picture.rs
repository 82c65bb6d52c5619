//! `khitomer map`'s work: the map drawn on the CPU and encoded as a PNG, at the command's
//! default width (1600 pixels). On every shipped scenario's map (one galaxy, the scenario with
//! the most fleets on it) and on a generated galaxy of 10,000 sectors.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use khitomer::content::{ContentPaths, Library, build_world};
use khitomer::core::generate::{GalaxyParams, generate};

fn picture(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = Library::load(&ContentPaths::under(root));
    let largest = (0..lib.scenarios.len())
        .filter_map(|i| build_world(&lib, i, None).ok())
        .max_by_key(|w| (w.sectors.len(), w.fleets.len()))
        .expect("a shipped scenario");
    let mut group = c.benchmark_group("map_picture");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    let params = GalaxyParams::proportional(10_000, 2409);
    let cases = [
        (
            format!("{}_{}_sectors", largest.scenario.id, largest.sectors.len()),
            largest,
        ),
        (
            format!("generated_{}_sectors", params.sectors),
            generate(params),
        ),
    ];
    for (label, world) in cases {
        group.bench_function(BenchmarkId::new("draw_and_encode", label), |b| {
            b.iter(|| {
                let (pixmap, _) = khitomer::picture::draw(black_box(&world), 1600);
                black_box(pixmap.encode_png().unwrap())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, picture);
criterion_main!(benches);
