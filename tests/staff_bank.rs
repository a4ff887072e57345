//! まちづくりスタッフバンク (issue 19.6): the indicator 登録者数 is the active registrants at the
//! fiscal year's end; contacts are shown to coordinators only, never enter the audit trail, and
//! can be erased on withdrawal leaving an audited tombstone; appointments name registrants.

mod common;

use common::*;
use kyodo::domain::appointment::Appointment;
use kyodo::domain::staff_bank::{StaffBankRegistrant, active_at};
use kyodo::domain::*;
use kyodo::i18n::Lang;
use kyodo::store::Batch;

fn d(s: &str) -> chrono::NaiveDate {
    parse_date(s).unwrap()
}

#[test]
fn the_indicator_counts_the_registrants_active_at_the_years_end() {
    let (_d, store) = demo_store();
    let all = store.list::<StaffBankRegistrant>().items;
    // By hand: consented by 31 March and not withdrawn by then.
    let by_hand = |y: i32| {
        let end = d(&format!("{}-03-31", y + 1));
        all.iter()
            .filter(|r| r.consented_on <= end && r.withdrawn_on.is_none_or(|w| w > end))
            .count() as i64
    };
    assert_eq!(by_hand(2022), 41, "the seed's baseline");
    for y in [2022, 2023, 2024] {
        let counts = store.fy_counts(FiscalYear(y)).unwrap();
        assert_eq!(counts.staff_bank, by_hand(y), "FY{y}");
        assert_eq!(active_at(&all, FiscalYear(y)), by_hand(y));
    }
    // The dashboard's figure is the count, and it moves with a withdrawal.
    let report = kyodo_ok(&["--demo", "report", "--fy", "2023", "--format", "csv"]);
    assert!(
        report
            .lines()
            .any(|l| l.starts_with("staff_bank,") && l.contains(",45,")),
        "{report}"
    );
    let some = all
        .iter()
        .find(|r| r.withdrawn_on.is_none() && r.consented_on < d("2023-04-01"))
        .unwrap()
        .clone();
    let mut b = Batch::new();
    b.put(StaffBankRegistrant {
        withdrawn_on: Some(d("2024-01-15")),
        ..some
    });
    store.write(b).unwrap();
    assert_eq!(store.fy_counts(FiscalYear(2023)).unwrap().staff_bank, 44);
    assert_eq!(store.fy_counts(FiscalYear(2022)).unwrap().staff_bank, 41);
}

#[test]
fn contacts_are_shown_to_coordinators_only_and_never_held_by_the_audit_trail() {
    // A new registrant typed in, then withdrawn with the contact erased on request.
    let mut id = 0;
    let server = common::server::Running::start_with(|store| {
        let mut b = Batch::new();
        b.put(StaffBankRegistrant {
            id: 0,
            name: "試験 登録者".into(),
            kana: "しけん".into(),
            fields: vec!["防災".into()],
            contact: "0191-99-1234 shiken@example.jp".into(),
            consented_on: d("2024-05-01"),
            withdrawn_on: None,
            erased_on: None,
        });
        store.write(b).unwrap();
        id = store
            .list::<StaffBankRegistrant>()
            .items
            .into_iter()
            .find(|r| r.name == "試験 登録者")
            .unwrap()
            .id;
    });
    let client = |login: &str| server.client(login);
    let r = client("koyama.tomoko")
        .get_id::<StaffBankRegistrant>(id)
        .unwrap()
        .unwrap();
    let contact_as = |login: &str| {
        client(login)
            .list::<StaffBankRegistrant>()
            .items
            .into_iter()
            .find(|x| x.id == r.id)
            .unwrap()
            .contact
    };
    assert_eq!(
        contact_as("koyama.tomoko"),
        r.contact,
        "a coordinator sees it"
    );
    assert_eq!(contact_as("chiba.megumi"), r.contact, "an admin sees it");
    assert_eq!(contact_as("miura.satoshi"), "", "a liaison does not");
    assert_eq!(contact_as("onodera.sho"), "", "a viewer does not");
    // Withdrawn and erased on request, through the server by the coordinator.
    let coord = client("koyama.tomoko");
    let mut b = Batch::new();
    coord.expect_unchanged(&mut b, &r).unwrap();
    b.put(StaffBankRegistrant {
        contact: String::new(),
        withdrawn_on: Some(d("2024-09-30")),
        erased_on: Some(d("2024-10-01")),
        ..r.clone()
    });
    coord.write(b).unwrap();
    let entries = coord
        .audit_entries(50, |e| e.record.record_type == "staff_bank")
        .items;
    let text = format!("{entries:?}");
    assert!(
        !text.contains("0191-99-1234") && !text.contains("shiken@example"),
        "{text}"
    );
    // The tombstone: the erasure is audited (who, when, that a contact was there), the name and
    // dates stay.
    let erased = entries
        .iter()
        .find(|e| e.record.changes.iter().any(|c| c.field == "erased_on"))
        .expect("the erasure is audited");
    assert_eq!(erased.record.actor.login, "koyama.tomoko");
    let c = erased
        .record
        .changes
        .iter()
        .find(|c| c.field == "contact")
        .unwrap();
    assert_eq!(
        (c.before.as_deref(), c.after.as_deref()),
        (Some("\"●●●\""), Some("\"\""))
    );
    let admin = client("chiba.megumi");
    let all = format!("{:?}", admin.audit_entries(10_000, |_| true).items);
    assert!(!all.contains("0191-99-1234"), "nowhere in the trail");
    let kept = admin
        .list::<StaffBankRegistrant>()
        .items
        .into_iter()
        .find(|x| x.id == r.id)
        .unwrap();
    assert_eq!(
        (kept.name.as_str(), kept.contact.as_str()),
        ("試験 登録者", "")
    );
}

#[test]
fn an_erasure_needs_a_withdrawal_and_leaves_no_contact_and_appointments_name_registrants() {
    let (dir, store) = demo_store();
    let path = dir.path().join("staff_bank.csv");
    let header = "name,kana,fields,contact,consented_on,withdrawn_on,erased_on\n";
    std::fs::write(
        &path,
        format!(
            "{header}甲,,,,2024-04-01,,2024-05-01\n乙,,,090-0000-0000,2024-04-01,2024-05-01,2024-05-02\n丙,,,,2024-04-01,2024-03-01,\n"
        ),
    )
    .unwrap();
    let e = kyodo::io::import::import_path(&store, &path)
        .unwrap_err()
        .text(Lang::En);
    for at in [
        "staff_bank.csv:2:7",
        "staff_bank.csv:3:4",
        "staff_bank.csv:4:6",
    ] {
        assert!(e.contains(at), "{at}: {e}");
    }
    let path = dir.path().join("appointments.csv");
    std::fs::write(
        &path,
        "registrant,committee,from,to\n居ない人,一関市協働推進会議,2024-04-01,2026-03-31\n",
    )
    .unwrap();
    let e = kyodo::io::import::import_path(&store, &path)
        .unwrap_err()
        .text(Lang::En);
    assert!(e.contains("appointments.csv:2:1"), "{e}");
    // A registrant with an appointment is kept.
    let a = store.list::<Appointment>().items.remove(0);
    let e = store
        .delete::<StaffBankRegistrant>(a.registrant)
        .unwrap_err();
    assert!(format!("{e:?}").contains("appointments"), "{e:?}");
}

#[test]
fn a_year_before_the_registry_keeps_its_entered_figure() {
    use kyodo::domain::indicator::{FyCounts, evaluate};
    let (_d, store) = demo_store();
    let bank: Vec<Indicator> = store
        .list::<Indicator>()
        .items
        .into_iter()
        .filter(|i| i.id == "staff_bank")
        .collect();
    assert_eq!(
        bank[0].source,
        IndicatorSource::Counted(CountedMetric::StaffBank)
    );
    let entry = IndicatorEntry {
        id: 1,
        indicator_id: "staff_bank".into(),
        fiscal_year: FiscalYear(2019),
        value: Figure::whole(37),
    };
    let none = FyCounts::default();
    assert_eq!(
        evaluate(&bank, std::slice::from_ref(&entry), &none)[0].value,
        Some(Figure::whole(37))
    );
    let some = FyCounts {
        staff_bank: 40,
        ..FyCounts::default()
    };
    assert_eq!(
        evaluate(&bank, &[entry], &some)[0].value,
        Some(Figure::whole(40))
    );
}

#[test]
fn a_backup_and_restore_keep_the_contacts_the_audit_trail_masks() {
    let (dir, db) = demo_db();
    let d_ = db.to_str().unwrap();
    let before = kyodo_ok(&["--db", d_, "export", "staff_bank"]);
    assert!(before.contains("0191-"), "the demo's contacts");
    let archive = dir.path().join("b.kyodo");
    kyodo_ok(&["--db", d_, "backup", archive.to_str().unwrap()]);
    let restored = dir.path().join("restored");
    kyodo_ok(&[
        "--db",
        restored.to_str().unwrap(),
        "restore",
        archive.to_str().unwrap(),
    ]);
    let after = kyodo_ok(&["--db", restored.to_str().unwrap(), "export", "staff_bank"]);
    assert_eq!(after, before, "nothing of a registrant is lost");
}
