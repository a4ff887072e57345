#!/usr/bin/env python3
"""Generates kyodo's demo dataset (data/demo/*.csv) deterministically.

The FY2022 (令和4年度) figures reproduce the baseline of Ichinoseki's 第3次協働推進計画
(seed 003): 33 bodies, 125 team meetings, 2,335 consultations of which 138 話し合い支援,
466 body activities. FY2023 is at plausible levels. Names of people are fictional; body names
use the city's area names and are illustrative. Run from anywhere: python3 data/demo/generate.py
"""
import csv, datetime as dt, hashlib, os, random

OUT = os.path.dirname(os.path.abspath(__file__))
rnd = random.Random(20240401)
D = dt.date

AREAS = [  # (district, branch office, [(area, kana)])
    ("一関", "本庁", [("一関", "いちのせき"), ("山目", "やまのめ"), ("真滝", "またき"), ("中里", "なかさと"), ("弥栄", "やさか"),
                     ("萩荘", "はぎしょう"), ("厳美", "げんび"), ("舞川", "まいかわ"), ("本寺", "ほんでら"), ("滝沢", "たきざわ")]),
    ("花泉", "花泉支所", [("花泉", "はないずみ"), ("涌津", "わくつ"), ("日形", "ひがた"), ("油島", "ゆしま"), ("永井", "ながい")]),
    ("大東", "大東支所", [("大原", "おおはら"), ("摺沢", "すりさわ"), ("渋民", "しぶたみ"), ("曽慶", "そけい"), ("興田", "おきた"), ("猿沢", "さるさわ")]),
    ("千厩", "千厩支所", [("千厩", "せんまや"), ("小梨", "こなし"), ("奥玉", "おくたま"), ("磐清水", "いわしみず")]),
    ("東山", "東山支所", [("長坂", "ながさか"), ("田河津", "たこうづ")]),
    ("室根", "室根支所", [("室根東", "むろねひがし"), ("室根西", "むろねにし")]),
    ("川崎", "川崎支所", [("川崎", "かわさき")]),
    ("藤沢", "藤沢支所", [("藤沢", "ふじさわ"), ("黄海", "きのみ"), ("大籠", "おおかご")]),
]
SURNAMES = [("佐藤", "さとう", "sato"), ("鈴木", "すずき", "suzuki"), ("高橋", "たかはし", "takahashi"), ("千葉", "ちば", "chiba"),
            ("菅原", "すがわら", "sugawara"), ("佐々木", "ささき", "sasaki"), ("小野寺", "おのでら", "onodera"), ("阿部", "あべ", "abe"),
            ("及川", "おいかわ", "oikawa"), ("熊谷", "くまがい", "kumagai"), ("畠山", "はたけやま", "hatakeyama"), ("村上", "むらかみ", "murakami"),
            ("伊藤", "いとう", "ito"), ("渡辺", "わたなべ", "watanabe"), ("小山", "こやま", "koyama"), ("岩渕", "いわぶち", "iwabuchi"),
            ("金野", "こんの", "konno"), ("三浦", "みうら", "miura"), ("菊池", "きくち", "kikuchi"), ("藤原", "ふじわら", "fujiwara")]
GIVEN = [("花子", "はなこ", "hanako"), ("太郎", "たろう", "taro"), ("健", "けん", "ken"), ("美咲", "みさき", "misaki"), ("翔", "しょう", "sho"),
         ("陽子", "ようこ", "yoko"), ("誠", "まこと", "makoto"), ("恵", "めぐみ", "megumi"), ("大輔", "だいすけ", "daisuke"), ("由美", "ゆみ", "yumi"),
         ("拓也", "たくや", "takuya"), ("直子", "なおこ", "naoko"), ("聡", "さとし", "satoshi"), ("愛", "あい", "ai"), ("浩二", "こうじ", "koji"),
         ("真理", "まり", "mari"), ("和也", "かずや", "kazuya"), ("智子", "ともこ", "tomoko"), ("亮", "りょう", "ryo"), ("彩", "あや", "aya")]
HQ_SECTIONS = ["まちづくり推進課", "税務課", "長寿社会課", "農政課", "商業観光課", "建設課", "生涯学習課", "防災課", "財政課", "健康づくり課"]


def write(name, header, rows):
    with open(os.path.join(OUT, name + ".csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def rand_date(fy, rng=rnd, months=None):
    start = D(fy, 4, 1)
    days = (D(fy + 1, 3, 31) - start).days
    while True:
        d = start + dt.timedelta(days=rng.randrange(days + 1))
        if d.weekday() < 5 and (months is None or d.month in months):
            return d


def split(total, n_min, n_max, rng=rnd):
    """Splits total into parts each within [n_min, n_max]."""
    parts = []
    while total > 0:
        p = min(total, rng.randint(n_min, n_max))
        parts.append(p)
        total -= p
    return parts


# ---- bodies
bodies = []
for district, office, areas in AREAS:
    for area, kana in areas:
        hh = rnd.randrange(350, 3800)
        pop = int(hh * rnd.uniform(2.3, 2.9))
        est = D(2014, 4, 1) + dt.timedelta(days=rnd.randrange(0, 3 * 365))
        mgr = D(rnd.choice([2016, 2017, 2018, 2019, 2020, 2021]), 4, 1) if len(bodies) % 11 != 5 else None
        if mgr and mgr < est:  # 指定管理 begins on the first 1 April after the body exists, never before
            mgr = D(est.year if (est.month, est.day) <= (4, 1) else est.year + 1, 4, 1)
        plan_start = rnd.choice([2021, 2022, 2023])
        bodies.append(dict(name=f"{area}地区まちづくり協議会", kana=f"{kana}ちくまちづくりきょうぎかい", district=district,
                           office=office, area=area, established=est, hh=hh, pop=pop, mgr=mgr, plan_start=plan_start))
assert len(bodies) == 33
# ---- 地域づくり計画の改訂 (seed 003 第2章: the plans were revised in 14 areas). Which 14, when and what
# changed are illustrative. Its own random sequence, so every other generated value stays as it was.
prnd = random.Random(20220315)
REVISION_WHAT = ["人口減少を踏まえて重点事業を見直した", "防災部会を新設し、事業計画に位置付けた", "若者の参画を目標に加えた",
                 "事業の優先順位と役割分担を整理した", "住民アンケートの結果を反映した"]
revisions = []  # (body name, date, what)
for i in sorted(prnd.sample(range(33), 14)):
    b = bodies[i]
    first = D(b["plan_start"] + 1, 3, 15)
    revisions.append((b["name"], first, prnd.choice(REVISION_WHAT)))
    if prnd.random() < 0.3 and b["plan_start"] + 2 <= 2023:
        revisions.append((b["name"], D(b["plan_start"] + 2, 3, 20), prnd.choice(REVISION_WHAT)))
revised_on = {}
for name, d, _ in revisions:
    revised_on[name] = max(d, revised_on.get(name, d))
assert len(revised_on) == 14
# 面積 (issue 18.3, for a scenario's 面積割): the city's 1,256.42 km² shared among the 33 areas. The
# split is illustrative; its own random sequence, so every other generated value stays as it was.
armd = random.Random(20240402)
weights = [armd.uniform(0.4, 2.2) for _ in bodies]
hundredths = [int(125642 * w / sum(weights)) for w in weights]
hundredths[0] += 125642 - sum(hundredths)
for b, a in zip(bodies, hundredths):
    b["km2"] = f"{a // 100}.{a % 100:02d}"
write("bodies", ["name", "kana", "district", "branch_office", "established_on", "dissolved_on", "households", "population",
                 "counts_as_of", "citizen_center", "designated_manager_since", "plan_vision", "plan_start_fy", "plan_end_fy",
                 "plan_revised_on", "area_km2"],
      [[b["name"], b["kana"], b["district"], b["office"], b["established"].isoformat(), "", f"{b['hh']:,}", f"{b['pop']:,}",
        "2022-04-01", f"{b['area']}市民センター", b["mgr"].isoformat() if b["mgr"] else "",
        rnd.choice(["みんなでつくる安心して暮らせるまち", "笑顔あふれる元気な地域", "ふるさとの自然と文化を次世代へ", "支え合い、つながる地域づくり"]),
        b["plan_start"], b["plan_start"] + 4, revised_on[b["name"]].isoformat() if b["name"] in revised_on else "",
        rnd.random()][:-1] + [b["km2"]] for b in bodies])  # (the draw the old 40 % rule made keeps later values as they were)
write("community_plan_revisions", ["body", "date", "summary"], [[n, d.isoformat(), w] for n, d, w in sorted(revisions, key=lambda r: (r[1], r[0]))])
# 指定管理の期間 (issue 18.4): each managed centre's designations of five years from its body's
# 指定管理開始日, renewed while they start by FY2026 (seed 003: designations are for fixed terms); a
# period ending in FY2026 is then due for renewal. The fee
# (¥3,000,000 + ¥1,200 per household, rounded to ¥10,000) is illustrative.
term_rows = []
for b in bodies:
    if not b["mgr"]:
        continue
    start = b["mgr"]
    fee = (3_000_000 + 1_200 * b["hh"]) // 10_000 * 10_000
    while start <= D(2026, 4, 1):
        end = D(start.year + 5, 3, 31)
        term_rows.append([f"{b['area']}市民センター", b["name"], start.isoformat(), end.isoformat(), f"{fee:,}"])
        start = D(start.year + 5, 4, 1)
write("designation_terms", ["center", "manager", "from", "to", "yearly_fee"], term_rows)

# ---- body_counts: the counts of 2023-04-01 (a little fewer people, as in most of the city)
# (its own random sequence, so adding it left every other generated value as it was)
crnd = random.Random(20230401)
count_rows = []
for b in bodies:
    hh23 = max(100, b["hh"] - crnd.randrange(0, 25))
    pop23 = max(200, b["pop"] - crnd.randrange(10, 90))
    b["hh23"], b["pop23"] = hh23, pop23
    count_rows.append([b["name"], "2023-04-01", f"{hh23:,}", f"{pop23:,}"])
    hh24 = max(100, hh23 - crnd.randrange(0, 25))
    pop24 = max(200, pop23 - crnd.randrange(10, 90))
    count_rows.append([b["name"], "2024-04-01", f"{hh24:,}", f"{pop24:,}"])
write("body_counts", ["body", "as_of", "households", "population"], count_rows)

# ---- staff
names = [(s, g) for s in SURNAMES for g in GIVEN]
rnd.shuffle(names)
staff = []


def add_staff(org, section, role):
    (sj, sk, sr), (gj, gk, gr) = names.pop()
    login = f"{sr}.{gr}"
    staff.append(dict(name=f"{sj} {gj}", kana=f"{sk} {gk}", org=org, section=section, login=login, role=role, active=True))
    return staff[-1]


admin = add_staff("city", "まちづくり推進課", "admin")
coords = [add_staff("city", "まちづくり推進課", "coordinator") for _ in range(3)]
counselors = [add_staff("support_center", "いちのせき市民活動センター", "counselor") for _ in range(6)]
liaison_by_office = {}
for district, office, areas in AREAS:
    n = len(areas) * 4
    pool = []
    for _ in range(n):
        sec = rnd.choice(HQ_SECTIONS) if office == "本庁" else office
        pool.append(add_staff("city", sec, "liaison"))
    liaison_by_office[office] = pool
viewer = add_staff("city", "市長公室", "viewer")
# one liaison left in March 2023 (kept for history)
leaver = liaison_by_office["花泉支所"][-1]
leaver["active"] = False
write("staff", ["name", "kana", "organization", "section", "login", "role", "active"],
      [[s["name"], s["kana"], s["org"], s["section"], s["login"], s["role"], "1" if s["active"] else "0"] for s in staff])

# ---- assignments: teams of 2–4 with one leader; rotation in April 2023 for some bodies
assign_rows = []
teams = {}  # (body name, fy) -> [staff]
for district, office, areas in AREAS:
    pool = list(liaison_by_office[office])
    rnd.shuffle(pool)
    if leaver in pool:
        pool.remove(leaver)
        pool.append(leaver)  # the leaver sits on the first team, and rotates out in April 2023
    for area, _ in areas:
        b = next(x for x in bodies if x["area"] == area)
        size = rnd.randint(2, 4)
        team = [pool.pop() for _ in range(size)]
        if leaver in team:
            team.remove(leaver)
            team.append(leaver)  # leaver never leads
        teams[(b["name"], 2022)] = team
        rotate = rnd.random() < 0.4 or leaver in team
        team23 = list(team)
        for i, s in enumerate(team):
            role = "leader" if i == 0 else "member"
            if rotate and i == len(team) - 1:
                assign_rows.append([s["name"], b["name"], "2021-04-01", "2023-03-31", role])
                # April transfers (人事異動) bring a new person to the team
                newcomer = add_staff("city", office if office != "本庁" else rnd.choice(HQ_SECTIONS), "liaison")
                team23[i] = newcomer
                assign_rows.append([newcomer["name"], b["name"], "2023-04-01", "", role])
            else:
                assign_rows.append([s["name"], b["name"], "2021-04-01", "", role])
        teams[(b["name"], 2023)] = team23
write("assignments", ["staff", "body", "from", "to", "role"], assign_rows)
# staff file rewritten in case newcomers were added
write("staff", ["name", "kana", "organization", "section", "login", "role", "active"],
      [[s["name"], s["kana"], s["org"], s["section"], s["login"], s["role"], "1" if s["active"] else "0"] for s in staff])

# ---- team meetings: 125 in FY2022, 131 in FY2023
AGENDA = ["地域づくり計画の進捗確認", "地域づくり交付金事業の打合せ", "防災訓練の準備", "夏祭りの企画", "役員改選に向けた話し合い",
          "高齢者見守り活動の検討", "市民センター運営の課題", "地域づくり計画の見直し", "子ども会行事との連携", "空き家対策の情報共有"]
FOLLOW = ["交付金の実績報告様式を届ける", "防災マップの案を作成する", "会場の予約を確認する", "アンケート案をまとめる",
          "市の担当課に照会する", "次回会議の日程を調整する", "広報紙の原稿を依頼する"]
def _advance_as_before():
    """Draws from rnd exactly what the first generator's even split of meetings did, so every value
    generated after the meetings (consultations, activities, grants) stays as it was."""
    _burn = []
    for fy, total in ((2022, 125), (2023, 131)):
        per_body = [total // 33] * 33
        for i in rnd.sample(range(33), total - sum(per_body)):
            per_body[i] += 1
        for b, n in zip(bodies, per_body):
            team = teams[(b["name"], fy)]
            for _ in range(n):
                d = rand_date(fy)
                att = [s["name"] for s in team if rnd.random() < 0.85] or [team[0]["name"]]
                fus = []
                for _ in range(rnd.choice([0, 1, 1, 2])):
                    owner = rnd.choice(team)["name"]
                    due = d + dt.timedelta(days=rnd.choice([14, 21, 30, 45]))
                    done = "済" if fy == 2022 or rnd.random() < 0.7 else "未"
                    fus.append(f"{rnd.choice(FOLLOW)};{owner};{due.isoformat()};{done}")
                _burn.append([b["name"], d.isoformat(), f"{b['area']}市民センター", ";".join(att),
                                     rnd.choice(["会長、事務局長", "会長、副会長", "事務局長", ""]), rnd.choice(AGENDA),
                                     "各部会の取組状況を共有した。", rnd.choice(["次回までに案を作成する", "実施日を決定した", "継続して検討する"]),
                                     "\n".join(fus)])


# Teams meet as often as their body's work needs: a few bodies monthly, some only before the
# 総会 and the 交付金 report; more in spring (総会, 計画) and in February–March (実績報告). The
# yearly totals are the seed's (125 in FY2022) and the demo's FY2023 level; the split is illustrative.
mrnd = random.Random(20220401)
pace = [mrnd.lognormvariate(0, 0.6) for _ in bodies]  # each body's own rhythm, kept across years
MONTH_W = {4: 14, 5: 12, 6: 9, 7: 8, 8: 5, 9: 7, 10: 8, 11: 7, 12: 5, 1: 5, 2: 10, 3: 10}
meeting_rows = []
for fy, total in ((2022, 125), (2023, 131)):
    weights = [p * mrnd.uniform(0.8, 1.25) for p in pace]
    per_body = [1] * 33
    for i in mrnd.choices(range(33), weights, k=total - 33):
        per_body[i] += 1
    for b, n in zip(bodies, per_body):
        team = teams[(b["name"], fy)]
        months = mrnd.choices(list(MONTH_W), list(MONTH_W.values()), k=n)
        for m in months:
            d = rand_date(fy, mrnd, months=[m])
            att = [s["name"] for s in team if mrnd.random() < 0.85] or [team[0]["name"]]
            fus = []
            for _ in range(mrnd.choice([0, 1, 1, 2])):
                owner = mrnd.choice(team)["name"]
                due = d + dt.timedelta(days=mrnd.choice([14, 21, 30, 45]))
                done = "済" if fy == 2022 or mrnd.random() < 0.7 else "未"
                fus.append(f"{mrnd.choice(FOLLOW)};{owner};{due.isoformat()};{done}")
            meeting_rows.append([b["name"], d.isoformat(), f"{b['area']}市民センター", ";".join(att),
                                 mrnd.choice(["会長、事務局長", "会長、副会長", "事務局長", ""]), mrnd.choice(AGENDA),
                                 "各部会の取組状況を共有した。", mrnd.choice(["次回までに案を作成する", "実施日を決定した", "継続して検討する"]),
                                 "\n".join(fus)])
_advance_as_before()
assert sum(1 for r in meeting_rows if D.fromisoformat(r[1]) <= D(2023, 3, 31)) == 125
meeting_rows.sort(key=lambda r: r[1])
write("team_meetings", ["body", "date", "place", "attendees", "guests", "agenda", "notes", "decisions", "follow_ups"], meeting_rows)

# ---- consultations and tallies
CATS = ["団体運営", "資金・助成", "広報", "人材・ボランティア", "協働・連携", "事業企画", "その他"]
CAT_W = [22, 20, 14, 12, 10, 14, 8]
CHANS = ["来所", "電話", "メール", "訪問", "オンライン"]
CHAN_W = [45, 30, 12, 8, 5]
GROUPS = ["上町自治会", "新町町内会", "NPO法人いわい里山の会", "子育てサークルひだまり", "駅前商店会", "老人クラブ寿会", "地域食堂の会"]
SUMMARY = {"話し合い支援": "役員会の進め方について助言し、ワークショップの進行を支援した。",
           "団体運営": "会則の改正手続きについて相談を受けた。", "資金・助成": "助成金の申請書の書き方を説明した。",
           "広報": "チラシとSNSでの発信方法を助言した。", "人材・ボランティア": "ボランティアの募集方法を紹介した。",
           "協働・連携": "市の担当課との連携方法を案内した。", "事業企画": "新しい事業の企画書づくりを支援した。",
           "その他": "施設の利用方法について案内した。"}
cons_rows, tally_rows = [], []
for fy, total, ds_total, detailed, ds_detailed in ((2022, 2335, 138, 420, 58), (2023, 2410, 142, 450, 62)):
    for i in range(detailed):
        d = rand_date(fy)
        if i < ds_detailed:
            cats = ["話し合い支援"] + (["協働・連携"] if rnd.random() < 0.3 else [])
            ctype = rnd.choice(["地域協働体", "地域協働体", "団体"])
        else:
            cats = [rnd.choices(CATS, CAT_W)[0]]
            if rnd.random() < 0.2:
                extra = rnd.choices(CATS, CAT_W)[0]
                if extra != cats[0]:
                    cats.append(extra)
            ctype = rnd.choice(["地域協働体", "団体", "団体", "個人"])
        cname = rnd.choice(bodies)["name"] if ctype == "地域協働体" else rnd.choice(GROUPS) if ctype == "団体" else ""
        cons_rows.append([d.isoformat(), rnd.choice(counselors)["name"], ctype, cname, rnd.choices(CHANS, CHAN_W)[0],
                          ";".join(cats), rnd.randint(1, 4), rnd.choice([15, 30, 30, 45, 60, 90]), SUMMARY[cats[0]]])
    tally_total = total - detailed
    ds_tally = ds_total - ds_detailed
    other = tally_total - ds_tally
    weights = [w / sum(CAT_W) for w in CAT_W]
    per_cat = [int(other * w) for w in weights]
    per_cat[0] += other - sum(per_cat)
    for cat, n in [("話し合い支援", ds_tally)] + list(zip(CATS, per_cat)):
        for c in split(n, 1, 6):
            tally_rows.append([rand_date(fy).isoformat(), cat, rnd.choices(CHANS, CHAN_W)[0], c])
cons_rows.sort(key=lambda r: r[0])
tally_rows.sort(key=lambda r: r[0])
# 相談案件 (issue 17.6; illustrative): a few groups' matters followed across several of their
# consultations of FY2023 — the first three of each group's — three still continuing with a next
# contact date, two closed after a referral. Chosen without drawing from rnd.
CASES = [  # (group, title, status, referral kind, referral, outcome)
    ("地域食堂の会", "子ども食堂の立ち上げ", "継続", "NPO・団体", "NPO法人いわい里山の会", ""),
    ("子育てサークルひだまり", "活動場所の確保", "継続", "市の担当課", "生涯学習課", "市民センターの一室を月2回使えることになった"),
    ("老人クラブ寿会", "会員減少と役員の担い手", "継続", "なし", "", ""),
    ("駅前商店会", "空き店舗を使った交流拠点", "終結", "他の支援機関", "一関商工会議所", "空き店舗活用の補助制度につないだ"),
    ("上町自治会", "自治会の法人化の手続き", "終結", "市の担当課", "まちづくり推進課", "認可地縁団体の申請が受理された"),
]
case_rows = []
for n, (group, title, status, rkind, referral, outcome) in enumerate(CASES, 1):
    mine = [r for r in cons_rows if r[3] == group and r[0] >= "2023-04-01"][:3]
    number = f"C2023-{n:03}"
    for r in mine:
        r.append(number)
    first, last = dt.date.fromisoformat(mine[0][0]), dt.date.fromisoformat(mine[-1][0])
    closed = (last + dt.timedelta(days=14)).isoformat() if status == "終結" else ""
    next_contact = (last + dt.timedelta(days=30)).isoformat() if status == "継続" else ""
    case_rows.append([number, title, group, mine[0][1], first.isoformat(), status, closed, next_contact, rkind, referral, outcome])
for r in cons_rows:
    if len(r) == 9:
        r.append("")
write("consultation_cases", ["number", "title", "client", "counselor", "opened_on", "status", "closed_on", "next_contact",
                             "referral_kind", "referral", "referral_outcome"], case_rows)
write("consultations", ["date", "counselor", "client_type", "client_name", "channel", "categories", "people", "minutes", "summary",
                        "case"], cons_rows)
write("consultation_tallies", ["date", "category", "channel", "count"], tally_rows)

# ---- activities: 466 in FY2022, 472 in FY2023
# Each of the five roles with activities from seed 003's 活動の事例 table (第2章 3 (2)), so every
# activity is filed under the role the seed gives it (防犯パトロール: ② 住民参画; 高齢者世帯の見守り:
# ⑤ 活性化). The lists keep their earlier lengths so the random draws stay as they were.
ROLES = {"支援補完": ["自治会間の連携事業", "市民センターの管理運営", "地域の清掃活動", "防災訓練"],
         "住民参画": ["高齢者サロン", "子育てサロン", "防犯パトロール", "都市と農村の交流事業"],
         "意見集約": ["地域懇談会", "住民アンケート", "地域づくり計画検討会"],
         "人材育成": ["研修会", "講演会", "視察研修"],
         "活性化": ["夏まつり", "文化祭", "産直市", "高齢者世帯の見守り"]}
act_rows = []
for fy, total in ((2022, 466), (2023, 472)):
    weights = [b["hh"] for b in bodies]
    for _ in range(total):
        b = rnd.choices(bodies, weights)[0]
        role = rnd.choice(list(ROLES))
        act_rows.append([b["name"], rand_date(fy).isoformat(), rnd.choice(ROLES[role]), role, rnd.randint(8, 250)])
act_rows.sort(key=lambda r: r[1])
write("body_activities", ["body", "date", "title", "role", "participants"], act_rows)

# ---- subsidies: 地域づくり交付金 FY2022 and FY2023
PER_BODY, PER_HH, PER_CAP, UNIT = 1_500_000, 1_000, 200, 1_000
prog_rows, grant_rows, disb_rows = [], [], []
PROG_HEADER = ["name", "fiscal_year", "budget", "rule", "per_body", "per_household", "per_capita", "round_unit",
               "counts_date", "floor", "cap", "rates", "fixed_amount", "over_budget_reason", "report_due"]
for fy in (2022, 2023):
    amounts = []
    for b in bodies:
        hh, pop = (b["hh"], b["pop"]) if fy == 2022 else (b["hh23"], b["pop23"])
        raw = PER_BODY + PER_HH * hh + PER_CAP * pop
        amounts.append(raw - raw % UNIT)
    budget = (sum(amounts) // 10_000_000 + 1) * 10_000_000
    prog_rows.append(["地域づくり交付金", fy, f"{budget:,}", "formula", f"{PER_BODY:,}", f"{PER_HH:,}", f"{PER_CAP:,}", f"{UNIT:,}",
                      "", "", "", "", "", "", "年度末後30日"])
    for i, (b, amt) in enumerate(zip(bodies, amounts)):
        advance = (amt * 8 // 10) // UNIT * UNIT
        unused = 0 if rnd.random() < 0.7 else rnd.randrange(1, 40) * 10_000
        if i in (4, 17):
            unused = amt - advance + rnd.randrange(5, 20) * 10_000  # spent less than the advance: refund
        confirmed = amt - unused
        applied_on, decided_on = D(fy, 4, rnd.randint(10, 25)), D(fy, 5, rnd.randint(8, 16))
        reported_on, confirmed_on = D(fy + 1, 4, rnd.randint(10, 28)), D(fy + 1, 5, rnd.randint(10, 25))
        disb_rows.append(["地域づくり交付金", fy, b["name"], D(fy, 5, 31).isoformat(), "advance", f"{advance:,}"])
        if confirmed >= advance:
            state = "closed"
            if confirmed > advance:
                disb_rows.append(["地域づくり交付金", fy, b["name"], D(fy + 1, 6, 15).isoformat(), "settlement", f"{confirmed - advance:,}"])
        else:
            if i == 17 and fy == 2023:
                state = "confirmed"  # refund due, not yet received
            else:
                state = "refunded"
                disb_rows.append(["地域づくり交付金", fy, b["name"], D(fy + 1, 6, 30).isoformat(), "refund", f"{advance - confirmed:,}"])
        closed_on = D(fy + 1, 7, 10).isoformat() if state == "closed" else ""
        grant_rows.append(["地域づくり交付金", fy, b["name"], f"{amt:,}", applied_on.isoformat(), "", "", f"{amt:,}", decided_on.isoformat(),
                           reported_on.isoformat(), f"{confirmed:,}", confirmed_on.isoformat(), closed_on, state, ""])
# 地域づくりモデル事業交付金 (seed 003: from FY2021): 2/3, 1/2, 1/3 of eligible cost in years 1–3, up to 1,000,000円
# 実績報告の期限 (illustrative): 30 days after the project ends; one project ended in February.
prog_rows.append(["地域づくりモデル事業交付金", 2023, "3,000,000", "rate", "", "", "", "1,000", "", "", "1,000,000", "2/3;1/2;1/3", "", "",
                  "完了後30日"])
for b, cost, year, end in ((bodies[3], 1_200_000, 1, "2024-02-29"), (bodies[12], 900_000, 2, ""), (bodies[20], 1_800_000, 3, "")):
    rate = {1: (2, 3), 2: (1, 2), 3: (1, 3)}[year]
    amt = min(cost * rate[0] // rate[1] // 1000 * 1000, 1_000_000)
    grant_rows.append(["地域づくりモデル事業交付金", 2023, b["name"], f"{amt:,}", "2023-05-08", f"{cost:,}", year, f"{amt:,}", "2023-06-01",
                       "", "", "", "", "decided", end])
# 自治会等活動費総合補助金 (seed 003 事業9/13: part of the cost of a 自治集会所 and the like, to 自治会).
# The seed gives no figures: the rate (1/2), the cap (1,000,000円), the budget and the 自治会 are illustrative.
# Its own random sequence and rows appended here, so every other generated value stays as it was.
grnd = random.Random(18)
ASSOC = [("上町自治会", "かみまちじちかい", 0), ("大町自治会", "おおまちじちかい", 0), ("中里南自治会", "なかさとみなみじちかい", 3),
         ("真滝北自治会", "またききたじちかい", 2), ("千厩本町自治会", "せんまやほんちょうじちかい", 21),
         ("折壁自治会", "おりかべじちかい", 27), ("駅前通り町内会", "えきまえどおりちょうないかい", None)]
assoc_rows = []
for name, kana, bi in ASSOC:
    assoc_rows.append([name, kana, bodies[bi]["name"] if bi is not None else "", f"{grnd.randrange(40, 320):,}"])
write("neighborhood_associations", ["name", "kana", "body", "households"], assoc_rows)
write("organisations", ["name", "kana", "kind"], [
    ["NPO法人いわい里山の会", "えぬぴーおーほうじんいわいさとやまのかい", "NPO法人"],
    ["一関おやこ食堂の会", "いちのせきおやこしょくどうのかい", "市民活動団体"],
])
prog_rows.append(["自治会等活動費総合補助金", 2023, "5,000,000", "rate", "", "", "", "1,000", "", "", "1,000,000", "1/2", "", "",
                  "完了後30日"])
for (name, cost, state, end) in (("上町自治会", 1_460_000, "closed", "2023-10-31"), ("中里南自治会", 880_000, "settled", "2023-11-30"),
                                 ("千厩本町自治会", 2_400_000, "decided", "2024-01-31"), ("折壁自治会", 620_000, "applied", "")):
    amt = min(cost // 2 // 1000 * 1000, 1_000_000)
    applied = D(2023, 5, grnd.randint(8, 26))
    decided = D(2023, 6, grnd.randint(5, 20)).isoformat() if state != "applied" else ""
    reported = (dt.date.fromisoformat(end) + dt.timedelta(days=grnd.randint(5, 25))).isoformat() if state in ("closed", "settled") else ""
    confirmed_on = (dt.date.fromisoformat(reported) + dt.timedelta(days=14)).isoformat() if reported else ""
    grant_rows.append(["自治会等活動費総合補助金", 2023, name, f"{amt:,}", applied.isoformat(), f"{cost:,}", "", f"{amt:,}" if decided else "",
                       decided, reported, f"{amt:,}" if reported else "", confirmed_on, "2024-02-15" if state == "closed" else "",
                       state, end])
    if decided:
        disb_rows.append(["自治会等活動費総合補助金", 2023, name, confirmed_on or D(2023, 7, 10).isoformat(),
                          "settlement" if confirmed_on else "advance", f"{amt:,}" if confirmed_on else f"{amt // 2 // 1000 * 1000:,}"])
# 令和6年度 地域づくり交付金: defined, not yet allocated (the coordinator previews and applies it)
prog_rows.append(["地域づくり交付金", 2024, "150,000,000", "formula", f"{PER_BODY:,}", f"{PER_HH:,}", f"{PER_CAP:,}", f"{UNIT:,}",
                  "2024-04-01", "", "", "", "", "", "年度末後30日"])
# 配分シナリオ (issue 18.3; seed 003: 「地域協働体の規模に応じた交付金の見直しや地域協働体職員の待遇改善」):
# two drafts for FY2024 to set beside its 地域づくり交付金. Their figures are illustrative.
write("allocation_scenarios", ["name", "fiscal_year", "per_body", "per_household", "per_capita", "per_km2",
                               "center_addition", "plan_addition", "floor", "cap", "round_unit", "counts_date", "note"],
      [["面積割・指定管理加算案(例示)", 2024, "1,200,000", "1,000", "200", "10,000", "500,000", "", "", "", "1,000", "",
        "規模に応じた算定と、市民センターを管理する協働体の職員の待遇改善(例示の数値)"],
       ["均等割縮小・面積割案(例示)", 2024, "1,000,000", "900", "200", "20,000", "300,000", "100,000", "2,500,000", "", "1,000", "",
        "予算の範囲で面積割を厚くする案(例示の数値)"]])
# 協働人材育成事業助成金: a JCRD-style multi-year award (seed 002: 「最長3年、年150万円以内」, against an
# action plan of 「原則として5年以上」). The city program, its budget, the award and the amounts are
# illustrative; the terms are the seed's. Year 1 (FY2023) closed, year 2 (FY2024) decided, year 3 not yet.
PROG_HEADER += ["award_years", "award_year_cap", "award_total_cap", "plan_min_years"]
JINZAI = "協働人材育成事業助成金"
for fy in (2023, 2024, 2025):
    prog_rows.append([JINZAI, fy, "3,000,000", "rate", "", "", "", "1,000", "", "", "1,500,000", "1/1", "", "", "年度末後30日",
                      3, "1,500,000", "", 5])
write("awards", ["number", "program", "fiscal_year", "body", "years", "decided_on", "plan", "plan_from", "plan_to"], [
    ["R5-人材-01", JINZAI, 2023, "NPO法人いわい里山の会", 3, "2023-05-25", "いわい里山 人材育成アクションプラン", 2023, 2027],
])
grant_rows.append([JINZAI, 2023, "NPO法人いわい里山の会", "1,500,000", "2023-05-10", "1,640,000", 1, "1,500,000", "2023-06-01",
                   "2024-04-15", "1,480,000", "2024-05-10", "2024-07-10", "closed", "", "R5-人材-01"])
disb_rows.append([JINZAI, 2023, "NPO法人いわい里山の会", "2023-06-30", "advance", "1,200,000"])
disb_rows.append([JINZAI, 2023, "NPO法人いわい里山の会", "2024-05-31", "settlement", "280,000"])
grant_rows.append([JINZAI, 2024, "NPO法人いわい里山の会", "1,400,000", "2024-04-15", "1,450,000", 2, "1,400,000", "2024-05-20",
                   "", "", "", "", "decided", "", "R5-人材-01"])
write("subsidy_programs", PROG_HEADER, [r + [""] * (len(PROG_HEADER) - len(r)) for r in prog_rows])
GRANT_HEADER = ["program", "fiscal_year", "body", "applied_amount", "applied_on", "eligible_cost", "project_year", "decided_amount",
                "decided_on", "reported_on", "confirmed_amount", "confirmed_on", "closed_on", "state", "project_end", "award"]
write("grants", GRANT_HEADER, [r + [""] * (len(GRANT_HEADER) - len(r)) for r in grant_rows])
write("disbursements", ["program", "fiscal_year", "body", "date", "kind", "amount"], disb_rows)

# ---- indicators (seed 003, 成果指標) and entered values
write("indicators", ["id", "order", "name_ja", "name_en", "unit_ja", "unit_en", "baseline_fy", "baseline", "target_fy", "target", "source", "retired"], [
    ["citizen_center_use", 1, "市民1人当たりの市民センター利用回数", "Citizen center visits per resident", "回/年", "visits/yr", 2022, "3.77", 2028, "4.23", "entered", 0],
    ["web_access", 2, "輪っしょい!!WEBへの年間アクセス数", "Annual visits to Wasshoi!! WEB", "件", "visits", 2022, "7,033", 2028, "10,000", "entered", 0],
    ["staff_bank", 3, "まちづくりスタッフバンクの登録者数", "Registered in the staff bank", "人", "people", 2022, "41", 2028, "61", "counted:staff_bank", 0],
    ["staff_awareness", 4, "市職員の協働に対する認知度", "City staff awareness of collaboration", "%", "%", 2022, "", 2028, "90", "counted:staff_awareness", 0],
    ["body_activities", 5, "地域協働体の活動件数", "Activities of collaboration bodies", "件", "activities", 2022, "466", 2028, "486", "counted:body_activities", 0],
    ["dialogue_support", 6, "市民活動センターによる話し合い支援の件数", "Dialogue support by the activity center", "件", "cases", 2022, "138", 2028, "150", "counted:dialogue_support", 0],
    ["team_meetings", 7, "チーム会議の開催数", "Team meetings held", "回", "meetings", 2022, "125", 2028, "170", "counted:team_meetings", 0],
    ["consultations", 8, "市民活動センター年間相談件数", "Consultations at the activity center", "件", "cases", 2022, "2,335", 2028, "2,500", "counted:consultations", 0],
    ["bodies", 9, "地域協働体の設立件数", "Collaboration bodies established", "件", "bodies", 2022, "33", 2028, "34", "counted:bodies", 0],
])
write("indicator_values", ["indicator", "fiscal_year", "value"], [
    ["citizen_center_use", 2022, "3.77"], ["web_access", 2022, "7,033"],
    ["citizen_center_use", 2023, "3.85"], ["web_access", 2023, "7,512"],
])
# ---- plan actions: 第3次一関市協働推進計画 (seed 003, 7 主要な施策・事業): 18 actions, FY2024–2028
PLAN = "第3次一関市協働推進計画"
P1, P2, P3 = "協働のための人づくり", "協働のための環境づくり", "協働のための仕組みづくり"
ACTIONS = [  # (no, policy, measure, title, kind, lead ◎, partners ○, description)
    (1, P1, "市民意識の啓発", "情報発信機能及び体制の強化", "拡充", "市", "市民等、協働体", "協働及び地域協働の意味や取組の事例、地域協働体や市民活動団体の活動状況などについて、多様な媒体を用いて定期的に情報発信を行います。"),
    (2, P1, "市民意識の啓発", "地域協働体職員等情報交換会、活動成果報告会の開催", "拡充", "市", "市民等、協働体", "地域活動の成功事例や悩みを共有する情報交換会と、活動成果発表会を開催します。"),
    (3, P1, "地域の人材育成", "学習機会の提供", "新規", "市", "市民等、協働体", "地域協働体の職員への研修や、担い手養成講座などを開催します。"),
    (4, P1, "地域の人材育成", "市政への参画", "新規", "市民等", "協働体、市", "まちづくりスタッフバンクへの登録を促進します。"),
    (5, P1, "市職員の意識高揚", "職員研修の実施", "継続", "市", "", "職員研修や新採用職員研修等を行い、地域活動への参加の意識を醸成します。"),
    (6, P1, "市職員の意識高揚", "職員意識調査の実施", "新規", "市", "", "職員の協働に対する理解度や地域活動への参加状況について定期的に意識調査を実施します。"),
    (7, P2, "協働の主体の充実", "市民がつながる交流の場の充実", "新規", "協働体", "市民等、市", "若者や多様な主体が地域の活動や課題を学ぶ交流の場の創出に取り組みます。"),
    (8, P2, "協働の主体の充実", "事業者との連携", "継続", "市", "市民等、協働体", "事業者の特性や専門性を生かした地域課題解決に向けた取組を推進します。"),
    (9, P2, "協働を進めるための場づくり", "自治会等活動費総合補助金の活用", "継続", "市民等", "市", "自治集会所等の整備に必要な費用の一部を補助する制度を継続し、周知を図ります。"),
    (10, P2, "協働を進めるための場づくり", "話し合いの促進", "新規", "協働体", "市民等、市", "自治会や地域協働体が話し合いの場を設けることを促し、職員も参加して課題を共有します。"),
    (11, P3, "情報の共有と意見の反映", "「地域づくり計画」の市政への反映", "継続", "市", "協働体", "地域協働体等からの意見・要望・提言等を、優先順位や役割・負担の程度を基に市の施策へ反映します。"),
    (12, P3, "情報の共有と意見の反映", "「地域協働体と行政との意見交換の場」の設置", "継続", "市", "協働体", "移動市長室等を活用した意見交換会や、地域協働体の申出による意見交換会を開催します。"),
    (13, P3, "行政等の支援", "地域づくり交付金などによる支援", "継続", "市", "協働体", "地域づくり交付金及び自治会等活動費総合補助金による支援を行います。"),
    (14, P3, "行政等の支援", "職員による活動支援", "継続", "市", "協働体", "市職員は地域の現状や課題を把握し、課題解決に向けた取組を支援します。"),
    (15, P3, "中間支援組織による支援", "中間支援組織による支援", "継続", "市", "市民等、協働体", "話し合いの場での課題の抽出・共有、助言、先進事例の紹介など、地域に寄り添った支援を行います。"),
    (16, P3, "事業形態の選択活用", "事業形態の活用", "継続", "市", "市民等、協働体", "共催、後援、実行委員会、委託、補助、協定など、相乗効果が最も見込まれる事業形態を選択します。"),
    (17, P3, "地域協働の仕組みづくり", "地域協働体の組織づくり", "継続", "市", "市民等、協働体", "地域協働体設立に向けた取組や組織づくりを、いちのせき市民活動センターと連携し支援します。"),
    (18, P3, "地域協働の仕組みづくり", "地域による市民センターの管理", "継続", "協働体", "市民等、市", "地域協働体が市民センターの管理運営を担い、行政は施設管理に必要な費用を負担し支援します。"),
]
plan_rows = []
for no, pol, meas, title, kind, lead, partners, desc in ACTIONS:
    # 事業11 is 検討 in R6–R7 and 実施 from R8; every other action is 実施 throughout (seed 003).
    st = ["検討", "検討", "実施", "実施", "実施"] if no == 11 else ["実施"] * 5
    statuses = ";".join(f"{2024 + i}:{s}" for i, s in enumerate(st))
    plan_rows.append([PLAN, 2024, 2028, no, pol, meas, title, kind, lead, partners, desc, statuses])
# 新庄市協働推進計画 (seed 001, 平成27年度～31年度): 3 目標, 7 方策, 20 取組事項, with the statuses its
# tables give (実施 from H27, or 検討 in H27 then 実施). The tables of 方策5–7 (取組 15–20) carry no
# marks in the seed's text, so those actions have no statuses here. The seed does not class its
# actions as 拡充/新規/継続: 継続 is illustrative.
SHINJO = "新庄市協働推進計画"
G1, G2, G3 = "目標1 地域コミュニティの活性化", "目標2 まちづくりを牽引できる人材の育成", "目標3 協働を生み出す環境づくり"
M = ["方策1 地域のつながりを大事にし、交流を深める", "方策2 地域の課題を共有し地域の連携を図る", "方策3 地域の担い手育成と組織の運営・活動",
     "方策4 職員の協働に対する理解を深める", "方策5 行政情報を市民に分かりやすく提供する", "方策6 市民の声を市政に反映させる",
     "方策7 協働事業に市民評価を導入し、事業の改善を図る"]
SHINJO_ACTIONS = [  # (no, goal, measure, 取組事項, 内容, status from H27)
    (1, G1, M[0], "地域の活動支援", "住民同士の交流を促進し、世代間・地域間のつながりを深めるため、自治会活動を支援する。", "実施"),
    (2, G1, M[0], "地域の活動支援", "活動の拠点として地域公民館の整備助成を行い、公民館活動を支援する。", "実施"),
    (3, G1, M[0], "地域の支え合いの促進", "日頃の近所づき合いや地域の情報共有により、子どもや高齢者等の社会的弱者を見守り互いに支えあう環境をつくる。", "実施"),
    (4, G1, M[1], "地域の連携を進める", "同じ学区などつながりが深い町内会等で課題の共有を図り、地域の連携を進める。", "実施"),
    (5, G1, M[1], "地域活動の組織づくりや組織運営に対する支援", "地域間の共通課題の解決や、地域特性を生かした活動に対し、組織づくりを推進するため、地域づくり支援事業を拡大する。", "実施"),
    (6, G1, M[1], "自主防災組織づくりの推進", "災害時要援護者の安全確保や自主的な避難、防災活動ができるよう組織づくりを支援する。(地域防災計画の推進)", "実施"),
    (7, G1, M[1], "地域による除雪協力の仕組みづくり", "地域や委託業者と協力し、各地域の実状に合わせた除排雪体制を支援する。(第2次総合雪対策基本計画)", "実施"),
    (8, G2, M[2], "協働に対する考え方を浸透させる", "市民、職員各々の協働に対する意識向上を目的に、事業者も加えて官民協働により共に学ぶセミナー等を開催する。", "実施"),
    (9, G2, M[2], "世代ごとの担い手育成・仲間づくり", "自分たちの地域を考える講座やワークショップ、また地域のイベント運営や伝統行事などを通して担い手を育成する。", "実施"),
    (10, G2, M[2], "市民活動団体との連携の促進", "各分野で活動している市民活動団体等との連携を深め、より効果的な事業運営を促進する。", "検討"),
    (11, G2, M[2], "市民活動や組織運営などの支援", "ぷらっとの利活用を促進し、市民の活動に必要な事務機器や情報の提供、相談、市との新たな事業連携について調整を行う。", "検討"),
    (12, G2, M[3], "地域を支援する職員の育成", "地域支援に関わる職員の知識を深め、地域に携わった経験を通じて協働に関するスキルアップを図る。", "検討"),
    (13, G2, M[3], "職員の協働に対する意識を高める", "全職員を対象とした協働に関する意識調査で、課題を抽出し改善を図る。", "実施"),
    (14, G2, M[3], "職員の協働に対する意識を高める", "協働を推進する庁内横断的組織を設け、情報交換や勉強会、実践的研修を通して、協働事業を創出できる人材を育成する。", "実施"),
    (15, G3, M[4], "広報の充実", "情報通信技術の利活用を含め、メディアの特性を生かした効果的な発信を行い、行政情報を分かりやすく市民に提供する。", ""),
    (16, G3, M[4], "地域に出向く機会を活用する", "職員地域担当制や出前講座の機会を活用し、市や地域の課題を共有する。", ""),
    (17, G3, M[5], "多様な広聴手段を活用し、市民の声を把握する", "手紙や電話、Eメール等の意見、市民アンケート、懇談会の実施による意見を集約し、市民ニーズの把握に努め、取り組み状況をホームページ等で周知する。", ""),
    (18, G3, M[6], "協働事業の推進", "事務事業の実施手法を見直し、市民が関わった方が効果の高いものについて協働化を進める。", ""),
    (19, G3, M[6], "協働事業評価制度の導入", "協働事業に対するPDCAサイクルを確立し、協働主体が相互評価を実施する。", ""),
    (20, G3, M[6], "協働事業評価制度の導入", "外部評価制度として、相互評価を基に市民協働推進委員と協働主体が事業改善に向け課題等を協議し、その過程と結果を公表する。", ""),
]
for no, goal, meas, title, desc, first in SHINJO_ACTIONS:
    st = {"実施": ["実施"] * 5, "検討": ["検討"] + ["実施"] * 4, "": []}[first]
    statuses = ";".join(f"{2015 + i}:{x}" for i, x in enumerate(st))
    plan_rows.append([SHINJO, 2015, 2019, no, goal, meas, title, "継続", "", "", desc, statuses])
write("plan_actions", ["plan", "plan_start_fy", "plan_end_fy", "number", "policy", "measure", "title", "kind", "lead",
                       "partners", "description", "statuses"], plan_rows)
# 計画 (issue 16.1): the two plans as records — period, vision, indicators and revision history.
# Adoption months are the seeds' (令和6年3月, 平成27年3月); the days and the R8 revision are illustrative.
write("plans", ["name", "start_fy", "end_fy", "vision", "indicators", "revisions"], [
    [PLAN, 2024, 2028, "市民一人ひとりが主役となり、地域の課題をみんなで解決するまち",
     "citizen_center_use;web_access;staff_bank;staff_awareness;body_activities;dialogue_support;team_meetings;consultations;bodies",
     "2024-03-29 策定\n2026-03-19 事業11の年度別の状態を見直し(協働推進会議の意見を受けて)"],
    [SHINJO, 2015, 2019, "地域でつくる地域の未来 みんなでつくる新庄の未来", "", "2015-03-31 策定"],
])
# 事業の実績 (illustrative): what the city reported of each Ichinoseki action for R6 and R7 (the
# plan's years already over), the actual status and the section's self-rating A–D.
arnd = random.Random(20250331)
RESULT_TEXT = {
    1: "広報紙とWEB「輪っしょい!!」で協働の事例を毎月発信した。", 2: "情報交換会を2回、活動成果報告会を1回開催した。",
    3: "担い手養成講座を3回開催した。", 4: "まちづくりスタッフバンクの登録を呼びかけた。", 5: "新採用職員研修で協働の講義を行った。",
    6: "職員意識調査を実施し、結果を庁内に公表した。", 7: "若者の交流会を開催した。", 8: "事業者との連携事例を紹介した。",
    9: "自治集会所の整備に補助した。", 10: "自治会の話し合いの場に職員が参加した。", 11: "地域づくり計画の要望を担当課に照会した。",
    12: "移動市長室を開催した。", 13: "地域づくり交付金を33団体に交付した。", 14: "地域担当職員がチーム会議に参加した。",
    15: "話し合い支援と相談に応じた。", 16: "事業形態の選び方を庁内に周知した。", 17: "設立準備の地域を支援した。",
    18: "市民センターの指定管理を継続した。"}
RESULT_COUNT = {2: 3, 3: 3, 7: 2, 9: 4, 12: 2, 13: 33}  # times held, grants: what the action counts
result_rows = []
for fy in (2024, 2025):
    for no, *_ in ACTIONS:
        planned = "検討" if no == 11 and fy < 2026 else "実施"
        rating = arnd.choices(["A", "B", "C", "D"], [50, 35, 12, 3])[0]
        actual = planned if rating != "D" else "検討"
        result_rows.append([PLAN, no, fy, actual, rating, RESULT_COUNT.get(no, ""), RESULT_TEXT[no]])
write("action_results", ["plan", "number", "fiscal_year", "status", "rating", "count", "summary"], result_rows)
# 協働推進会議 (seed 003 第4章: the city reports each year's progress to it and hears its
# opinions). Dates, members and opinions are illustrative.
write("committee_meetings", ["plan", "date", "members", "agenda"], [
    [PLAN, "2025-07-15", "委員10名のうち8名", "令和6年度の進捗状況と成果指標の報告"],
    [PLAN, "2026-07-14", "委員10名のうち9名", "令和7年度の進捗状況と成果指標の報告"],
])
write("committee_opinions", ["plan", "meeting_date", "action", "fiscal_year", "indicator", "opinion", "response"], [
    [PLAN, "2025-07-15", 11, 2024, "", "地域づくり計画の要望がどの課でどう扱われたか、地域に返してほしい。",
     "令和7年度から担当課の回答を取りまとめ、地域協働体に文書で返すこととした。"],
    [PLAN, "2025-07-15", 3, 2024, "", "講座の参加者が固定化している。若い世代が参加しやすい時間帯を。", "夜間と土曜の回を設けた。"],
    [PLAN, "2025-07-15", "", "", "team_meetings", "チーム会議の開催数が目標に届いていない。", "開催の少ない地区の担当職員と課題を確認した。"],
    [PLAN, "2026-07-14", 11, 2025, "", "回答の取りまとめは評価する。反映された件数も示してほしい。", ""],
])
# 要望・提言 (issue 17.2; seed 003 事業11 「地域づくり計画」の市政への反映). Illustrative: what bodies
# typically ask of the city, the section that answers and how far each has come. Its own random
# sequence, so every other generated value stays as it was.
req_rnd = random.Random(17)
REQUESTS = [  # (text, section, plan item, priority)
    ("通学路への街路灯の設置", "道路河川課", "安全安心な地域づくり", "高"),
    ("市道の舗装補修(集落間の生活道路)", "道路河川課", "住みよい生活環境", "中"),
    ("交差点へのカーブミラーの設置", "道路河川課", "安全安心な地域づくり", "高"),
    ("空き家の情報提供と対策の相談窓口", "都市住宅課", "住みよい生活環境", "中"),
    ("デマンドタクシーの運行日の拡充", "都市整備課", "地域の交通の確保", "高"),
    ("自主防災組織への防災資機材の配備", "防災課", "安全安心な地域づくり", "中"),
    ("市民センターのトイレの洋式化", "まちづくり推進課", "拠点施設の活用", "低"),
    ("高齢者の見守りに使える個人情報の共有", "長寿社会課", "支え合いの仕組み", "中"),
    ("地域の祭りへの観光面での支援", "商業観光課", "地域資源の活用", "低"),
    ("放課後の子どもの居場所づくりへの協力", "生涯学習課", "子育て世代の参画", "中"),
    ("有害鳥獣対策の電気柵の設置補助", "農政課", "地域資源の活用", "高"),
    ("地域づくり交付金の算定への面積割の導入", "まちづくり推進課", "組織運営", "中"),
]
req_rows = []
for n, (text, section, item, prio) in enumerate(REQUESTS, 1):
    fy = 2022 + (n - 1) % 3
    b = req_rnd.choice(bodies)
    received = rand_date(fy, req_rnd)
    row = [f"R{fy - 2018}-{n:03}", b["name"], received.isoformat(), text, section, prio, item, "", "受付", "", "", "", ""]
    stage = n % 4  # 0 受付 … 3 見送り/一部反映
    if fy == 2024 and n % 2 == 0:
        stage = 0  # the newest wait for their answer
    if stage >= 1:
        answered = received + dt.timedelta(days=req_rnd.randint(14, 45))
        row[9], row[10] = answered.isoformat(), f"{section}で現地を確認し、対応を検討します。"
        row[8] = "回答"
        if stage >= 2:
            closed = answered + dt.timedelta(days=req_rnd.randint(30, 120))
            row[11] = closed.isoformat()
            if stage == 2:
                row[8] = "反映"
            else:
                row[8] = "見送り" if n % 3 else "一部反映"
                row[12] = "今年度の予算では対応できないため、次年度以降に改めて検討します。"
    req_rows.append(row)
write("requests", ["number", "body", "received_on", "text", "section", "priority", "plan_item", "reply_due", "state",
                   "answered_on", "answer", "closed_on", "reason"], req_rows)
# 文書の参照 (illustrative): the 交付決定通知書 of each FY2022 grant decided, numbered in decision
# order, and the plan itself. Numbers and paths are made up; the dates are the grants' own.
# Each 通知書 is attached to its grant (record_type, record: 交付金/年度/地域協働体, issue 17.4).
doc_rows = [["一関市まち第2024-001号", PLAN, "2024-03-29", "https://www.city.ichinoseki.iwate.jp/", "", "", ""]]
decided = sorted((g for g in grant_rows if g[1] == 2022 and g[8]), key=lambda g: (g[8], g[2]))
for n, g in enumerate(decided, 1):
    doc_rows.append([f"一関市指令まち第{n}号", f"令和4年度{g[0]}交付決定通知書({g[2]})", g[8],
                     f"\\\\fs01\\まちづくり推進課\\交付金\\2022\\{n:03}.pdf", g[2], "grants", f"{g[0]}/{g[1]}/{g[2]}"])
# The answer to each request answered, filed with it (illustrative numbers and paths).
for r in req_rows:
    if r[9]:
        doc_rows.append([f"一関市{r[4]}第{r[0]}号", f"{r[3]}について(回答)", r[9],
                         f"\\\\fs01\\まちづくり推進課\\要望\\{r[0]}.pdf", r[1], "requests", r[0]])
write("document_refs", ["number", "title", "date", "location", "body", "record_type", "record"], doc_rows)

# 協働事業 and their evaluation (issue 19.1–19.2; seed 001 方策7 取組18–20, seed 003 第4章 (2)).
# The projects' titles follow the seeds' own examples (seed 003 事業2 情報交換会・活動成果報告会,
# 事業7 交流の場, 事業15 中間支援); partners, budgets, dates, scores and comments are illustrative.
# FY2023: the first project has every stage (自己評価 by the city and by each partner, 相互評価,
# 第三者評価 by the 協働推進会議 with the agreed improvement), the second has reached 相互評価, the
# third only its 自己評価, as a year in progress.
write("collaboration_projects", ["number", "title", "fiscal_year", "last_fy", "section", "partners", "plan", "action",
                                 "form", "budget"], [
    ["R5-協働-01", "地域協働体職員等情報交換会・活動成果報告会", 2023, 2025, "まちづくり推進課",
     "一関地区まちづくり協議会;花泉地区まちづくり協議会", PLAN, 2, "共催", "300,000"],
    ["R5-協働-02", "里山の保全と環境学習", 2023, 2024, "生活環境課", "NPO法人いわい里山の会", "", "", "委託", "1,200,000"],
    ["R5-協働-03", "こども食堂の地域展開", 2023, 2023, "こども家庭課",
     "一関おやこ食堂の会;山目地区まちづくり協議会", "", "", "実行委員会", ""],
])
EVAL_HEADER = ["project", "fiscal_year", "stage", "evaluator", "evaluated_on", "purpose", "roles", "results", "continuity",
               "comment", "improvement"]
write("project_evaluations", EVAL_HEADER, [
    ["R5-協働-01", 2023, "自己評価", "まちづくり推進課", "2024-03-05", 4, 3, 4, 3, "報告会の参加者は増えたが、準備の分担が市に偏った", ""],
    ["R5-協働-01", 2023, "自己評価", "一関地区まちづくり協議会", "2024-03-06", 4, 3, 4, 4, "他地区の事例を次年度の計画に生かせた", ""],
    ["R5-協働-01", 2023, "自己評価", "花泉地区まちづくり協議会", "2024-03-08", 3, 3, 4, 3, "発表の準備に職員の時間が足りなかった", ""],
    ["R5-協働-01", 2023, "相互評価", "まちづくり推進課・両協議会", "2024-03-15", 4, 3, 4, 3, "役割分担を事前に文書で確認することで合意した", ""],
    ["R5-協働-01", 2023, "第三者評価", "一関市協働推進会議", "2024-03-26", 4, 4, 4, 3, "参加者アンケートの満足度は高い。若い世代の参加が少ない",
     "次年度は企画段階から両協議会の職員が加わり、若者向けの発表枠を設ける"],
    ["R5-協働-02", 2023, "自己評価", "生活環境課", "2024-02-20", 4, 4, 3, 4, "環境学習の参加校が2校増えた", ""],
    ["R5-協働-02", 2023, "自己評価", "NPO法人いわい里山の会", "2024-02-22", 5, 4, 4, 3, "担い手の高齢化が課題", ""],
    ["R5-協働-02", 2023, "相互評価", "生活環境課・いわい里山の会", "2024-03-01", 4, 4, 4, 3, "委託の仕様に学校との調整を含めることを検討", ""],
    ["R5-協働-03", 2023, "自己評価", "こども家庭課", "2024-03-12", 3, 3, 3, 3, "開催地区を広げる準備が進んだ", ""],
])

# 講座・研修 and the staff's training history (issue 19.3–19.4): FY2024 events drawn from the seeds'
# examples (seed 003 事業3 担い手養成講座・階層別職員研修, 事業5 新採用職員研修, 事業12 意見交換会, 事業9
# 自治会長サミット; seed 004 地域コーディネーター研修 基礎 → ステップアップ; seed 000 外部研修と参加報告会).
# Dates, organisers, counts and who attended are illustrative; its own random sequence.
ernd = random.Random(20240614)
COORD = "地域コーディネーター研修"
event_rows = [
    ["新採用職員研修(協働のまちづくり)", "研修会", "2024-04-18", "まちづくり推進課", "市職員", PLAN, 5, 24, "", ""],
    [f"{COORD}(基礎)", "研修会", "2024-06-14", "まちづくり推進課", "市職員", PLAN, 5, 18, COORD, "基礎"],
    ["担い手養成講座", "講座", "2024-07-20", "いちのせき市民活動センター", "市民", PLAN, 3, 28, "", ""],
    ["階層別職員研修(地域協働体職員)", "研修会", "2024-09-12", "まちづくり推進課", "協働体職員", PLAN, 3, 41, "", ""],
    ["地域協働体と行政との意見交換会", "意見交換会", "2024-10-25", "まちづくり推進課", "協働体職員", PLAN, 12, 52, "", ""],
    [f"{COORD}(ステップアップ)", "研修会", "2024-11-08", "まちづくり推進課", "市職員", PLAN, 5, 9, COORD, "ステップアップ"],
    ["自治会長サミット", "サミット", "2025-02-15", "まちづくり推進課", "市民", PLAN, 9, 67, "", ""],
    ["外部研修参加報告会", "報告会", "2025-03-10", "まちづくり推進課", "市職員", PLAN, 5, 15, "", ""],
]
write("events", ["title", "kind", "date", "organiser", "audience", "plan", "action", "participants", "course", "stage"],
      event_rows)
city_liaisons = [s["name"] for s in staff if s["org"] == "city" and s["active"] and s["role"] == "liaison"]
newcomers = ernd.sample(city_liaisons, 8)
basic = ernd.sample(city_liaisons, 12)
step_up = ernd.sample(basic, 6)
external = ernd.sample([n for n in city_liaisons if n not in basic], 3)
TRAIN_HEADER = ["staff", "title", "attended_on", "external", "course", "stage", "report_due", "reported_on"]
train_rows = [[n, "新採用職員研修(協働のまちづくり)", "2024-04-18", "", "", "", "", ""] for n in newcomers]
train_rows += [[n, f"{COORD}(基礎)", "2024-06-14", "", COORD, "基礎", "", ""] for n in basic]
train_rows += [[n, f"{COORD}(ステップアップ)", "2024-11-08", "", COORD, "ステップアップ", "", ""] for n in step_up]
# Two went to an external course in FY2024 and reported back at the 報告会; one goes in FY2026
# and still owes the report-back.
train_rows += [[n, "協働のまちづくり実践研修(外部)", "2024-08-20", "はい", "", "", "2025-03-10", "2025-03-10"] for n in external[:2]]
train_rows.append([external[2], "協働のまちづくり実践研修(外部)", "2026-11-18", "はい", "", "", "2027-01-29", ""])
write("trainings", TRAIN_HEADER, train_rows)

# まちづくりスタッフバンク (issue 19.6; seed 003 事業4: 登録者数 41 in FY2022 → 61 by FY2028). The
# indicator is now counted: 41 registered on 2023-03-31 (the seed's baseline), 45 on 2024-03-31
# and 49 on 2025-03-31 (illustrative). Names, fields, contacts and dates are fictional; one FY2023
# withdrawal asked for its contact to be erased. Its own random sequence.
brnd = random.Random(20230331)
FIELDS = ["福祉", "防災", "環境", "教育", "子育て", "観光", "農業", "IT", "国際交流", "文化・芸術", "スポーツ", "まちづくり"]
people = [(s[0] + " " + g[0], s[1] + " " + g[1]) for s in SURNAMES for g in GIVEN]
brnd.shuffle(people)
bank_rows, appoint_rows = [], []
def consent(lo, hi):
    return lo + dt.timedelta(days=brnd.randrange((hi - lo).days + 1))
for i, (name, kana) in enumerate(people[:56]):
    if i < 43:
        on = consent(D(2018, 4, 1), D(2023, 3, 1))
    elif i < 48:
        on = consent(D(2023, 4, 10), D(2024, 3, 1))
    else:
        on = consent(D(2024, 4, 10), D(2025, 3, 1))
    withdrawn, erased, contact = "", "", f"0191-{brnd.randrange(10, 99)}-{brnd.randrange(1000, 9999)}"
    if i in (3, 17):  # withdrew before the end of FY2022
        withdrawn = min(on + dt.timedelta(days=200), D(2023, 3, 1)).isoformat()
    if i == 25:  # withdrew in FY2023 and asked for the contact to be erased
        withdrawn, erased, contact = "2023-09-30", "2023-10-02", ""
    if i >= 52:
        break
    bank_rows.append([name, kana, ";".join(brnd.sample(FIELDS, brnd.randrange(1, 3))), contact, on.isoformat(),
                      withdrawn, erased])
    if i % 9 == 0 and not withdrawn:
        appoint_rows.append([name, brnd.choice(["一関市協働推進会議", "一関市総合計画審議会", "一関市環境審議会"]),
                             max(on, D(2022, 4, 1)).isoformat(), "2024-03-31"])
write("staff_bank", ["name", "kana", "fields", "contact", "consented_on", "withdrawn_on", "erased_on"], bank_rows)
write("appointments", ["registrant", "committee", "from", "to"], appoint_rows)

# 職員意識調査 (issue 19.5; seed 003 事業6): the FY2023 round whose answers give the demo's
# 市職員の協働に対する認知度 of 68.4 % (91 of 133 answered 1 or 2 to question 1). The questions follow
# the seed's aim; the answers, sections and dates are illustrative. Answers are anonymous: a
# section and a point per question, with the digest import gives a sheet. Own random sequence.
srnd = random.Random(20231115)
QUESTIONS = ["「協働のまちづくり」という考え方を知っていますか", "担当地区の地域協働体の活動を知っていますか",
             "業務で市民や団体と協働したことがありますか"]
write("staff_surveys", ["name", "fiscal_year", "conducted_on", "staff_asked", "questions", "awareness_question"],
      [["令和5年度 職員意識調査", 2023, "2023-11-15", 146, ";".join(QUESTIONS), 1]])
sections = [s["section"] for s in staff if s["org"] == "city" and s["active"]]
first = [srnd.choice([1, 2]) for _ in range(91)] + [srnd.choice([3, 4]) for _ in range(42)]
srnd.shuffle(first)
resp_rows = []
for i, q1 in enumerate(first):
    answers = [q1, srnd.choice([1, 2, 2, 3, 3, 4]), srnd.choice([1, 2, 3, 3, 4, 4])]
    if i % 17 == 5:
        answers[2] = 0  # unanswered
    digest = hashlib.sha256(f"2023-11-{15 + i % 10} {i}".encode()).hexdigest()[:16]
    resp_rows.append(["令和5年度 職員意識調査", srnd.choice(sections), ";".join("" if a == 0 else str(a) for a in answers), digest])
write("survey_responses", ["round", "section", "answers", "digest"], resp_rows)

print("demo written to", OUT)
