//! Which application versions may be live at each position of a
//! rehearsal's steps (position p = after p steps).

use crate::plan::{Step, StepPhase};

/// Which code runs at each position of a plan (position p = after p steps):
/// the old code until the first migration that needs it gone, the new code
/// from the plan's first application step on. A plan without an
/// application step runs both throughout.
#[derive(Debug, Clone)]
pub struct Live {
    switch: Option<usize>,
    old_until: Option<usize>,
    /// (release, phase) of every step, in order.
    shape: Vec<(usize, StepPhase)>,
    /// Releases whose plan says to serve them without server-side prepared
    /// statements (an application step named `prepared_statements`).
    unprepared: Vec<usize>,
}

impl Live {
    /// `steps` as `Plan::steps` gives them: (release index, step).
    pub fn new(steps: &[(usize, &Step)]) -> Live {
        let switch = steps
            .iter()
            .position(|(_, st)| st.phase == StepPhase::Application);
        let old_until = switch.map(|sw| {
            let (rel, _) = steps[sw];
            steps
                .iter()
                .enumerate()
                .skip(sw + 1)
                .find(|(_, (r, st))| {
                    st.is_migration()
                        && (*r > rel
                            || matches!(st.phase, StepPhase::PostDeploy | StepPhase::Background))
                })
                .map_or(steps.len(), |(i, _)| i)
        });
        Live {
            switch,
            old_until,
            shape: steps.iter().map(|(r, st)| (*r, st.phase)).collect(),
            unprepared: steps
                .iter()
                .filter(|(_, st)| {
                    st.phase == StepPhase::Application && st.name == "prepared_statements"
                })
                .map(|(r, _)| *r)
                .collect(),
        }
    }

    /// The release whose code is deployed at position `p` (-1: the code from
    /// before the plan). A release is deployed after its regular migrations
    /// and before its application steps and post-deploy migrations, so a
    /// deployment starts new processes (with new connections) at that point.
    pub fn deployed(&self, p: usize) -> isize {
        self.shape[..p.min(self.shape.len())]
            .iter()
            .map(|(r, ph)| match ph {
                StepPhase::Regular => *r as isize - 1,
                _ => *r as isize,
            })
            .max()
            .unwrap_or(-1)
    }

    /// Whether the code deployed at position `p` runs without server-side
    /// prepared statements, as the plan tells it to.
    pub fn unprepared(&self, p: usize) -> bool {
        let d = self.deployed(p);
        d >= 0 && self.unprepared.contains(&(d as usize))
    }

    /// Whether the old code may run at position `p`.
    pub fn old(&self, p: usize) -> bool {
        match (self.switch, self.old_until) {
            (Some(_), Some(until)) => p <= until,
            _ => true,
        }
    }

    /// Whether the new code may run at position `p`.
    pub fn new_code(&self, p: usize) -> bool {
        match (self.switch, self.old_until) {
            (Some(sw), Some(_)) => p > sw,
            _ => true,
        }
    }
}
