//! A generated dataset at the large-city scale of docs/DOMAIN.md ("ten years, a large city"), for
//! benchmarks and scale tests: 200 bodies, 2,000 staff, and per fiscal year 25,000 detailed
//! consultations, 25,000 tallies, 3,000 team meetings and 10,000 activities (ten years: 500,000
//! consultation records, 30,000 meetings, 100,000 activities). Deterministic (a fixed LCG).

use crate::domain::*;
use crate::store::{Batch, Store, StoreError};
use chrono::{Duration, NaiveDate};

/// Sizes of a generated dataset.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// Bodies.
    pub bodies: u32,
    /// Staff.
    pub staff: u32,
    /// Fiscal years, ending with `last_fy`.
    pub years: i32,
    /// Last fiscal year generated.
    pub last_fy: i32,
    /// Detailed consultations per year.
    pub consultations: u32,
    /// Tally records per year.
    pub tallies: u32,
    /// Team meetings per year.
    pub meetings: u32,
    /// Activities per year.
    pub activities: u32,
}

impl Scale {
    /// The large-city, ten-year scale of docs/DOMAIN.md.
    pub const LARGE_CITY: Scale = Scale {
        bodies: 200,
        staff: 2_000,
        years: 10,
        last_fy: 2024,
        consultations: 25_000,
        tallies: 25_000,
        meetings: 3_000,
        activities: 10_000,
    };

    /// Total dated records generated.
    pub fn dated_records(&self) -> u64 {
        self.years as u64
            * (self.consultations + self.tallies + self.meetings + self.activities) as u64
    }
}

struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Fills `store` with a dataset of `scale`, in transactions of at most `chunk` records.
///
/// Errors: store errors.
pub fn generate(store: &Store, scale: Scale, chunk: usize) -> Result<(), StoreError> {
    let mut rng = Lcg(20240401);
    let mut b = Batch::new();
    let start = NaiveDate::from_ymd_opt(2014, 4, 1).unwrap_or(NaiveDate::MIN);
    let mut body_ids = Vec::new();
    for i in 0..scale.bodies {
        let id = store.new_id()?;
        body_ids.push(id);
        b.put_unaudited(Body {
            id,
            name: format!("第{i}地区まちづくり協議会"),
            kana: format!("だい{i:03}ちく"),
            district: [
                "一関", "花泉", "大東", "千厩", "東山", "室根", "川崎", "藤沢",
            ][i as usize % 8]
                .to_string(),
            branch_office: "本庁".into(),
            established_on: start + Duration::days(rng.next(1000) as i64),
            dissolved_on: None,
            households: 300 + rng.next(4000) as u32,
            population: 800 + rng.next(10000) as u32,
            counts_as_of: None,
            citizen_center: None,
            community_plan: None,
            area_km2: None,
        });
    }
    let mut staff_ids = Vec::new();
    for i in 0..scale.staff {
        let id = store.new_id()?;
        staff_ids.push(id);
        b.put_unaudited(Staff {
            id,
            name: format!("職員 {i}"),
            kana: format!("しょくいん {i:04}"),
            organization: Organization::City,
            section: "本庁".into(),
            login: Some(format!("user{i}")),
            role: Role::Liaison,
            active: true,
        });
    }
    for v in crate::domain::ichinoseki_defaults() {
        b.put_unaudited(v);
    }
    b.as_import("generated scale dataset");
    store.write(std::mem::take(&mut b))?;
    let pick = |rng: &mut Lcg, v: &[u64]| v[rng.next(v.len() as u64) as usize];
    for fy in (scale.last_fy - scale.years + 1)..=scale.last_fy {
        let Some(fy_start) = FiscalYear(fy).start() else {
            continue;
        };
        let day = |rng: &mut Lcg| fy_start + Duration::days(rng.next(365) as i64);
        let flush = |b: &mut Batch| -> Result<(), StoreError> {
            if b.len() >= chunk {
                let mut full = std::mem::take(b);
                full.as_import("generated scale dataset");
                store.write(full)?;
            }
            Ok(())
        };
        for _ in 0..scale.consultations {
            let cat = Category::ALL[rng.next(Category::ALL.len() as u64) as usize];
            b.put_unaudited(Consultation {
                id: 0,
                date: day(&mut rng),
                counselor_id: pick(&mut rng, &staff_ids),
                client: Client::Body(pick(&mut rng, &body_ids)),
                channel: Channel::ALL[rng.next(5) as usize],
                categories: vec![cat],
                people: 1,
                minutes: 30,
                summary: "助成金の申請について相談".into(),
                case_id: 0,
            });
            flush(&mut b)?;
        }
        for _ in 0..scale.tallies {
            b.put_unaudited(ConsultationTally {
                id: 0,
                date: day(&mut rng),
                category: Category::ALL[rng.next(Category::ALL.len() as u64) as usize],
                channel: Channel::ALL[rng.next(5) as usize],
                count: 1 + rng.next(3) as u32,
            });
            flush(&mut b)?;
        }
        for _ in 0..scale.meetings {
            b.put_unaudited(TeamMeeting {
                id: 0,
                body_id: pick(&mut rng, &body_ids),
                date: day(&mut rng),
                place: "市民センター".into(),
                attendees: vec![pick(&mut rng, &staff_ids)],
                guests: String::new(),
                agenda: "地域づくり計画の進捗確認".into(),
                notes: String::new(),
                decisions: String::new(),
                follow_ups: Vec::new(),
            });
            flush(&mut b)?;
        }
        for _ in 0..scale.activities {
            b.put_unaudited(BodyActivity {
                id: 0,
                body_id: pick(&mut rng, &body_ids),
                date: day(&mut rng),
                title: "地域の清掃活動".into(),
                role: BodyRole::ALL[rng.next(5) as usize],
                participants: 20,
            });
            flush(&mut b)?;
        }
    }
    if !b.is_empty() {
        b.as_import("generated scale dataset");
        store.write(b)?;
    }
    Ok(())
}
