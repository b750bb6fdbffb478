//! Timing cases side by side: every case of a group is called once in turn (round robin), so
//! that a noisy neighbour on a shared machine slows them alike; the calls are split into rounds,
//! and a case's figure is the median of its round medians, its spread the lowest and highest
//! round median.

use std::hint::black_box;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::Serialize;

/// What a case's call returns: the size of what it produced (kept, so that the work cannot be
/// optimised away).
pub type Call<'a> = Box<dyn FnMut() -> anyhow::Result<usize> + 'a>;

/// One thing to time.
pub struct Case<'a> {
    pub name: &'static str,
    pub call: Call<'a>,
}

impl<'a> Case<'a> {
    pub fn new(name: &'static str, call: impl FnMut() -> anyhow::Result<usize> + 'a) -> Self {
        Case {
            name,
            call: Box::new(call),
        }
    }
}

/// A case's figures, in microseconds.
#[derive(Clone, Debug, Serialize)]
pub struct Timing {
    pub case: String,
    /// The median of the round medians.
    pub median_us: f64,
    /// The lowest and the highest round median.
    pub low_us: f64,
    pub high_us: f64,
    /// Every round's median, in order (ratios between cases are taken round by round).
    pub round_medians_us: Vec<f64>,
    pub rounds: usize,
    pub calls_per_round: usize,
    /// Minor page faults per call after warm-up (a separate run of calls after the timed ones).
    pub minor_faults_per_call: Option<f64>,
    /// What one call produced, in bytes.
    pub output_bytes: usize,
}

/// How long a group may take and how it is split.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Time spent calling, over all cases of the group.
    pub time: Duration,
    pub rounds: usize,
    /// Calls per case and round, at most (small carts would otherwise make millions).
    pub max_calls_per_round: usize,
}

/// Times the cases interleaved call by call; then counts page faults per call, case by case.
///
/// # Errors
/// The first failed call, named by its case.
pub fn interleave(cases: &mut [Case<'_>], budget: Budget) -> anyhow::Result<Vec<Timing>> {
    let (output_bytes, rounds, calls_per_round) = warm_up(cases, budget)?;

    let mut round_medians = vec![Vec::with_capacity(rounds); cases.len()];
    let mut samples = vec![Vec::with_capacity(calls_per_round); cases.len()];
    for _ in 0..rounds {
        samples.iter_mut().for_each(Vec::clear);
        for _ in 0..calls_per_round {
            for (case, times) in cases.iter_mut().zip(&mut samples) {
                let began = Instant::now();
                black_box(case.call()?);
                times.push(began.elapsed().as_secs_f64() * 1e6);
            }
        }
        for (times, medians) in samples.iter_mut().zip(&mut round_medians) {
            medians.push(median(times));
        }
    }

    let fault_calls = calls_per_round.clamp(3, 50);
    cases
        .iter_mut()
        .zip(round_medians.iter_mut())
        .zip(output_bytes)
        .map(|((case, medians), output_bytes)| {
            let minor_faults_per_call = match minor_faults() {
                Some(before) => {
                    for _ in 0..fault_calls {
                        black_box(case.call()?);
                    }
                    let after = minor_faults().unwrap_or(before);
                    Some(after.saturating_sub(before) as f64 / fault_calls as f64)
                }
                None => None,
            };
            let (low_us, high_us) = (
                medians.iter().copied().fold(f64::INFINITY, f64::min),
                medians.iter().copied().fold(0.0, f64::max),
            );
            let round_medians_us = medians.clone();
            Ok(Timing {
                case: case.name.to_owned(),
                median_us: median(medians),
                round_medians_us,
                low_us,
                high_us,
                rounds,
                calls_per_round,
                minor_faults_per_call,
                output_bytes,
            })
        })
        .collect()
}

/// Times each case's calls back to back (a block of one case's calls, then the next case's,
/// every round), after the same warm-up. Where [`interleave`] shows what a call costs among other
/// work, this shows what it costs in a steady stream of its own kind: for a fresh instance, the
/// pool slot then has only its own last call's pages to restore.
///
/// # Errors
/// The first failed call, named by its case.
pub fn back_to_back(cases: &mut [Case<'_>], budget: Budget) -> anyhow::Result<Vec<Timing>> {
    let (output_bytes, rounds, calls_per_round) = warm_up(cases, budget)?;
    let mut round_medians = vec![Vec::with_capacity(rounds); cases.len()];
    let mut times = Vec::with_capacity(calls_per_round);
    for _ in 0..rounds {
        for (case, medians) in cases.iter_mut().zip(&mut round_medians) {
            times.clear();
            for _ in 0..calls_per_round {
                let began = Instant::now();
                black_box(case.call()?);
                times.push(began.elapsed().as_secs_f64() * 1e6);
            }
            medians.push(median(&mut times));
        }
    }
    Ok(cases
        .iter()
        .zip(round_medians)
        .zip(output_bytes)
        .map(|((case, mut medians), output_bytes)| Timing {
            case: case.name.to_owned(),
            median_us: median(&mut medians.clone()),
            low_us: medians.iter().copied().fold(f64::INFINITY, f64::min),
            high_us: medians.iter().copied().fold(0.0, f64::max),
            round_medians_us: std::mem::take(&mut medians),
            rounds,
            calls_per_round,
            minor_faults_per_call: None,
            output_bytes,
        })
        .collect())
}

/// Warm-up for both ways of timing: instances created, profiles compiled into them, caches
/// filled. The last call of each case estimates a pass over all cases, which sets the calls per
/// round. Returns what each case's call produced (bytes), the rounds and the calls per round.
fn warm_up(cases: &mut [Case<'_>], budget: Budget) -> anyhow::Result<(Vec<usize>, usize, usize)> {
    let mut pass = Duration::ZERO;
    let mut output_bytes = vec![0; cases.len()];
    for (case, bytes) in cases.iter_mut().zip(&mut output_bytes) {
        for _ in 0..2 {
            *bytes = case.call()?;
        }
        let began = Instant::now();
        black_box(case.call()?);
        pass += began.elapsed();
    }
    let rounds = budget.rounds.max(1);
    let passes = (budget.time.as_secs_f64() / pass.as_secs_f64().max(1e-9)) as usize;
    let calls_per_round = (passes / rounds).clamp(2, budget.max_calls_per_round.max(2));
    Ok((output_bytes, rounds, calls_per_round))
}

impl Case<'_> {
    fn call(&mut self) -> anyhow::Result<usize> {
        (self.call)().with_context(|| format!("case `{}`", self.name))
    }
}

/// The median of the samples (sorted in place); the mean of the middle two for an even count.
pub fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    match samples.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => samples[n / 2],
        n => (samples[n / 2 - 1] + samples[n / 2]) / 2.0,
    }
}

/// This process's minor page faults so far (`minflt`, the tenth field of `/proc/self/stat`);
/// `None` where there is no procfs.
pub fn minor_faults() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_ascii_whitespace().nth(7)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&mut [5.0, 1.0, 3.0]), 3.0);
    }

    #[test]
    fn minor_faults_are_read_from_procfs_and_grow_when_memory_is_touched() {
        let before = minor_faults().expect("procfs");
        let touched = vec![1u8; 8 << 20];
        black_box(&touched);
        let after = minor_faults().expect("procfs");
        // At least one fault per page touched: 2 048 with 4 KiB pages, 4 with 2 MiB huge pages.
        assert!(
            after >= before + 4,
            "8 MiB touched, faults {before} -> {after}"
        );
    }
}
