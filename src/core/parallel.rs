//! Work shared out among threads whose results come out the same on any number of them:
//! jobs numbered from 0, taken by whichever thread is free, each result put back in its
//! job's place.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs jobs `0..jobs` on as many threads as there are `workers` (the calling thread one of
/// them), each job given the state of the worker that took it; the results in job order.
/// What a job gives must depend on its number and not on which worker took it.
pub fn share_out<W: Send, R: Send>(
    jobs: usize,
    workers: &mut [W],
    run: impl Fn(&mut W, usize) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let work = |worker: &mut W| {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            if k >= jobs {
                return done;
            }
            done.push((k, run(worker, k)));
        }
    };
    let Some((mine, others)) = workers.split_first_mut() else {
        return Vec::new();
    };
    let mut done = std::thread::scope(|scope| {
        let helpers: Vec<_> = others
            .iter_mut()
            .map(|worker| scope.spawn(|| work(worker)))
            .collect();
        let mut done = work(mine);
        for helper in helpers {
            done.extend(helper.join().expect("a job shared out does not panic"));
        }
        done
    });
    done.sort_unstable_by_key(|d| d.0);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_runs_once_and_comes_back_in_its_place() {
        for threads in [1, 2, 3, 8] {
            let mut workers: Vec<usize> = vec![0; threads];
            let out = share_out(100, &mut workers, |taken, k| {
                *taken += 1;
                k * k
            });
            assert_eq!(out, (0..100).map(|k| k * k).collect::<Vec<_>>());
            assert_eq!(workers.iter().sum::<usize>(), 100, "{threads} threads");
        }
        assert!(share_out(5, &mut Vec::<()>::new(), |_, k| k).is_empty());
        assert!(share_out(0, &mut [(), ()], |_, k| k).is_empty());
    }
}
