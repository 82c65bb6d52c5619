//! Reading, layering, resolving and checking the base game with the example mod, from disk,
//! as `khitomer check --mod mods/klingon_refusal` does. DESIGN.md's budget: under 20 ms.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use khitomer::content::check::check_all;
use khitomer::content::{ContentPaths, Library};

fn load(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let paths = ContentPaths::under(root);
    let mods = vec![root.join("mods/klingon_refusal")];
    let mut group = c.benchmark_group("content");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("load_and_check_base_game_with_example_mod", |b| {
        b.iter(|| {
            let lib = Library::load_with_mods(&paths, &mods);
            let report = check_all(&lib);
            assert!(!report.has_errors());
            black_box(report)
        })
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
