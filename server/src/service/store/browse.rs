//! The registry as ward staff read it: filtered, sorted pages of households (one query for the
//! page, one for the count, no per-row queries), a household's detail, and the counts of the
//! dashboard — every query limited to the principal's area (the commune; admins see all).

use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use super::StoreError;
use crate::service::auth::Principal;
use crate::service::db::Db;
use shared::access::Role;

/// A bound parameter of a built query.
#[derive(Debug, Clone)]
pub enum Param {
    /// Text.
    Text(String),
    /// Integer.
    Int(i64),
}

/// A `where` clause built from conditions, with its parameters numbered `$1…`.
#[derive(Debug, Default, Clone)]
pub struct Where {
    conditions: Vec<String>,
    params: Vec<Param>,
}

impl Where {
    /// The scope of `p`: its commune, or everything for an admin.
    pub fn scope(p: &Principal) -> Where {
        let mut w = Where::default();
        if p.role != Role::Admin {
            w.push("h.commune = $?", Param::Text(p.commune.clone()));
        }
        w
    }

    /// Adds a condition; each `$?` takes the next parameter number.
    pub fn push(&mut self, condition: &str, param: Param) {
        let n = self.params.len() + 1;
        self.conditions.push(condition.replacen("$?", &format!("${n}"), 1));
        self.params.push(param);
    }

    /// Adds a condition without a parameter.
    pub fn raw(&mut self, condition: &str) {
        self.conditions.push(condition.to_owned());
    }

    /// ` where a and b` (or nothing).
    pub fn sql(&self) -> String {
        if self.conditions.is_empty() { String::new() } else { format!(" where {}", self.conditions.join(" and ")) }
    }

    /// The next parameter number.
    pub fn next(&self) -> usize {
        self.params.len() + 1
    }

    fn query<'q>(&self, sql: String) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for p in &self.params {
            q = match p {
                Param::Text(s) => q.bind(s.clone()),
                Param::Int(i) => q.bind(*i),
            };
        }
        q
    }
}

/// How the list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// By residential group, then household code.
    #[default]
    Group,
    /// By the head's name (folded).
    Name,
    /// Most deprivations first.
    Deprivations,
    /// Most recently changed first.
    Recent,
}

impl Sort {
    /// Parses the `sort` query value.
    pub fn from_code(code: &str) -> Sort {
        match code {
            "name" => Sort::Name,
            "deprived" => Sort::Deprivations,
            "recent" => Sort::Recent,
            _ => Sort::Group,
        }
    }

    /// The code.
    pub fn code(self) -> &'static str {
        match self {
            Sort::Group => "group",
            Sort::Name => "name",
            Sort::Deprivations => "deprived",
            Sort::Recent => "recent",
        }
    }

    fn order_by(self) -> &'static str {
        match self {
            Sort::Group => "h.group_code, h.code, h.id",
            Sort::Name => "h.search_text, h.id",
            Sort::Deprivations => "h.deprived_count desc, h.id",
            Sort::Recent => "h.last_feed_seq desc, h.id",
        }
    }
}

/// The list's filters (all optional).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Residential group code.
    pub group: Option<String>,
    /// Category code.
    pub category: Option<String>,
    /// Deprived on this indicator (1–12).
    pub indicator: Option<i64>,
    /// Review status code.
    pub review: Option<String>,
    /// Only households with conflicts.
    pub conflicts: bool,
    /// Only households whose category differs from last year's.
    pub changed: bool,
    /// Search text (name, address, code), matched diacritics- and case-insensitively.
    pub q: Option<String>,
}

impl Filter {
    /// The filter as a `where` clause within `p`'s scope.
    pub fn to_where(&self, p: &Principal) -> Where {
        let mut w = Where::scope(p);
        if let Some(g) = &self.group {
            w.push("h.group_code = $?", Param::Text(g.clone()));
        }
        if let Some(c) = &self.category {
            w.push("h.category = $?", Param::Text(c.clone()));
        }
        if let Some(r) = &self.review {
            w.push("h.review_status = $?", Param::Text(r.clone()));
        }
        if let Some(n) = self.indicator {
            w.push("(h.deprived_mask & $?) <> 0", Param::Int(bit(n)));
        }
        if self.conflicts {
            w.raw("h.conflict_count > 0");
        }
        if self.changed {
            w.raw("h.previous_category is not null and h.category is not null and h.previous_category <> h.category");
        }
        if let Some(q) = &self.q {
            // The stored search column is folded the same way (shared::text::search_key).
            let key: String =
                shared::text::search_key(q.trim()).chars().filter(|c| !matches!(c, '%' | '_' | '\\')).collect();
            if !key.is_empty() {
                w.push("h.search_text like $?", Param::Text(format!("%{key}%")));
            }
        }
        w
    }
}

/// One row of the household list.
#[derive(Debug, Clone)]
pub struct ListRow {
    /// Household id.
    pub id: String,
    /// Ward code.
    pub code: Option<String>,
    /// Residential group.
    pub group: String,
    /// Head's name.
    pub head_name: String,
    /// Address.
    pub address: String,
    /// Members.
    pub member_count: i64,
    /// Category code (`None`: invalid record).
    pub category: Option<String>,
    /// Last year's category.
    pub previous_category: Option<String>,
    /// Deprived indicators.
    pub deprived_count: Option<i64>,
    /// Review status code.
    pub review_status: String,
    /// Conflicted fields.
    pub conflict_count: i64,
}

const LIST_COLUMNS: &str = "h.id, h.code, h.group_code, h.head_name, h.address, h.member_count, h.category, \
    h.previous_category, h.deprived_count, h.review_status, h.conflict_count";

fn list_row(r: &AnyRow) -> Result<ListRow, sqlx::Error> {
    Ok(ListRow {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        group: r.try_get("group_code")?,
        head_name: r.try_get("head_name")?,
        address: r.try_get("address")?,
        member_count: r.try_get("member_count")?,
        category: r.try_get("category")?,
        previous_category: r.try_get("previous_category")?,
        deprived_count: r.try_get("deprived_count")?,
        review_status: r.try_get("review_status")?,
        conflict_count: r.try_get("conflict_count")?,
    })
}

/// One page of households matching `filter` (`offset`, `limit`), and how many match in all.
pub async fn list_households(
    db: &Db,
    p: &Principal,
    filter: &Filter,
    sort: Sort,
    offset: i64,
    limit: i64,
) -> Result<(Vec<ListRow>, i64), StoreError> {
    let w = filter.to_where(p);
    let n = w.next();
    // A deferred join: the page's ids are found first from the sort's index alone (an
    // index-only scan, whatever the offset), and only those 50 wide rows are then read. A
    // plain `offset` over the wide rows read every skipped row from the table.
    let order = sort.order_by();
    let sql = format!(
        "select {LIST_COLUMNS} from household h join (select h.id from household h{} order by {order} \
         limit ${n} offset ${}) page on page.id = h.id order by {order}",
        w.sql(),
        n + 1
    );
    let rows = w.query(sql).bind(limit).bind(offset).fetch_all(&db.pool).await?;
    let rows = rows.iter().map(list_row).collect::<Result<Vec<_>, _>>()?;
    let total: i64 =
        w.query(format!("select count(*) as n from household h{}", w.sql())).fetch_one(&db.pool).await?.try_get("n")?;
    Ok((rows, total))
}

/// Every household matching `filter`, in `sort` order (for exports): one query, no count.
pub async fn all_households(db: &Db, p: &Principal, filter: &Filter, sort: Sort) -> Result<Vec<ListRow>, StoreError> {
    let w = filter.to_where(p);
    let sql = format!("select {LIST_COLUMNS} from household h{} order by {}", w.sql(), sort.order_by());
    let rows = w.query(sql).fetch_all(&db.pool).await?;
    Ok(rows.iter().map(list_row).collect::<Result<Vec<_>, _>>()?)
}

/// The residential groups with households in `p`'s scope.
pub async fn groups(db: &Db, p: &Principal) -> Result<Vec<String>, StoreError> {
    let w = Where::scope(p);
    let rows = w
        .query(format!("select distinct h.group_code as g from household h{} order by g", w.sql()))
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| r.try_get("g").map_err(StoreError::from)).collect()
}

/// A household as the detail page shows it.
#[derive(Debug, Clone)]
pub struct Detail {
    /// The list row.
    pub row: ListRow,
    /// The record, in the dictionary's JSON form.
    pub record: Value,
    /// Validation problems (JSON array of issues).
    pub issues: Value,
    /// Standard applied.
    pub standard: Option<String>,
    /// B2 score.
    pub b2_score: Option<i64>,
    /// Income condition (0/1).
    pub income_condition: Option<i64>,
    /// Transition code.
    pub transition: Option<String>,
    /// The re-visit comment.
    pub review_comment: Option<String>,
    /// Meeting agreement share.
    pub agreement_percent: Option<i64>,
    /// When the review step was taken.
    pub review_at: Option<String>,
    /// Indicators: number, code, status, reason vi, reason en.
    pub indicators: Vec<(i64, String, String, String, String)>,
    /// Measurements with z-scores (hundredths) and flags.
    pub measurements: Vec<MeasurementRow>,
    /// Conflicts: path and the values JSON.
    pub conflicts: Vec<(String, Value)>,
}

/// One measurement with its z-scores.
#[derive(Debug, Clone)]
pub struct MeasurementRow {
    /// Measurement id.
    pub id: String,
    /// Child.
    pub member_id: String,
    /// Date.
    pub measured_on: String,
    /// Grams.
    pub weight_g: Option<i64>,
    /// Millimetres.
    pub lenhei_mm: Option<i64>,
    /// Oedema (0/1).
    pub oedema: i64,
    /// Z-scores in hundredths and their flags: HAZ, WAZ, WHZ, BAZ.
    pub z: [(Option<i64>, Option<i64>); 4],
}

/// A household's detail, if it exists and is in `p`'s scope (otherwise `None`, the same
/// answer as for a household that does not exist).
pub async fn household_detail(db: &Db, p: &Principal, id: &str) -> Result<Option<Detail>, StoreError> {
    let mut w = Where::scope(p);
    w.push("h.id = $?", Param::Text(id.to_owned()));
    let sql = format!(
        "select {LIST_COLUMNS}, h.record_json, h.issues_json, h.standard, h.b2_score, h.income_condition, h.transition, \
         h.review_comment, h.agreement_percent, h.review_at from household h{}",
        w.sql()
    );
    let Some(r) = w.query(sql).fetch_optional(&db.pool).await? else { return Ok(None) };
    let json = |col: &str| -> Result<Value, sqlx::Error> {
        Ok(serde_json::from_str(&r.try_get::<String, _>(col)?).unwrap_or(Value::Null))
    };
    let indicators = sqlx::query(
        "select number, code, status, reason_vi, reason_en from indicator_result where household_id = $1 order by number",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("number")?, r.try_get("code")?, r.try_get("status")?, r.try_get("reason_vi")?, r.try_get("reason_en")?)))
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let measurements = sqlx::query(
        "select measurement_id, member_id, measured_on, weight_g, lenhei_mm, oedema, haz_centi, haz_flag, waz_centi, waz_flag, \
         whz_centi, whz_flag, baz_centi, baz_flag from measurement where household_id = $1 order by member_id, measured_on",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        let z = |k: &str| -> Result<(Option<i64>, Option<i64>), sqlx::Error> {
            Ok((r.try_get(format!("{k}_centi").as_str())?, r.try_get(format!("{k}_flag").as_str())?))
        };
        Ok(MeasurementRow {
            id: r.try_get("measurement_id")?,
            member_id: r.try_get("member_id")?,
            measured_on: r.try_get("measured_on")?,
            weight_g: r.try_get("weight_g")?,
            lenhei_mm: r.try_get("lenhei_mm")?,
            oedema: r.try_get("oedema")?,
            z: [z("haz")?, z("waz")?, z("whz")?, z("baz")?],
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let conflicts = sqlx::query("select path, values_json from doc_conflict where household_id = $1 order by path")
        .bind(id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            let v: String = r.try_get("values_json")?;
            Ok((r.try_get("path")?, serde_json::from_str(&v).unwrap_or(Value::Null)))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(Detail {
        row: list_row(&r)?,
        record: json("record_json")?,
        issues: json("issues_json")?,
        standard: r.try_get("standard")?,
        b2_score: r.try_get("b2_score")?,
        income_condition: r.try_get("income_condition")?,
        transition: r.try_get("transition")?,
        review_comment: r.try_get("review_comment")?,
        agreement_percent: r.try_get("agreement_percent")?,
        review_at: r.try_get("review_at")?,
        indicators,
        measurements,
        conflicts,
    }))
}

/// Counts of households by one column, within `p`'s scope (and optional extra condition).
pub async fn count_by(
    db: &Db,
    p: &Principal,
    column: &str,
    extra: Option<&str>,
) -> Result<Vec<(Option<String>, i64)>, StoreError> {
    let mut w = Where::scope(p);
    if let Some(e) = extra {
        w.raw(e);
    }
    let sql =
        format!("select h.{column} as k, count(*) as n from household h{} group by h.{column} order by k", w.sql());
    let rows = w.query(sql).fetch_all(&db.pool).await?;
    rows.iter().map(|r| Ok((r.try_get("k")?, r.try_get("n")?))).collect()
}

/// Progress of one residential group (standard §7 steps).
#[derive(Debug, Clone, Default)]
pub struct GroupProgress {
    /// Group code.
    pub group: String,
    /// Households listed for review.
    pub listed: i64,
    /// Visited (any status after listed).
    pub visited: i64,
    /// Classified (a category other than undetermined).
    pub classified: i64,
    /// Agreed at the meeting (or later steps).
    pub agreed: i64,
    /// Recognised.
    pub recognised: i64,
    /// Poor.
    pub poor: i64,
    /// Near-poor.
    pub near_poor: i64,
    /// With conflicts.
    pub conflicts: i64,
}

/// Progress per residential group, one query.
pub async fn progress(db: &Db, p: &Principal) -> Result<Vec<GroupProgress>, StoreError> {
    let w = Where::scope(p);
    let sql = format!(
        "select h.group_code as g, count(*) as listed, \
         sum(case when h.review_status <> 'listed' then 1 else 0 end) as visited, \
         sum(case when h.category is not null and h.category <> 'undetermined' then 1 else 0 end) as classified, \
         sum(case when h.review_status in ('agreed', 'posted', 'recognised') then 1 else 0 end) as agreed, \
         sum(case when h.review_status = 'recognised' then 1 else 0 end) as recognised, \
         sum(case when h.category = 'poor' then 1 else 0 end) as poor, \
         sum(case when h.category = 'near_poor' then 1 else 0 end) as near_poor, \
         sum(case when h.conflict_count > 0 then 1 else 0 end) as conflicts \
         from household h{} group by h.group_code order by h.group_code",
        w.sql()
    );
    let rows = w.query(sql).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            Ok(GroupProgress {
                group: r.try_get("g")?,
                listed: r.try_get("listed")?,
                visited: r.try_get("visited")?,
                classified: r.try_get("classified")?,
                agreed: r.try_get("agreed")?,
                recognised: r.try_get("recognised")?,
                poor: r.try_get("poor")?,
                near_poor: r.try_get("near_poor")?,
                conflicts: r.try_get("conflicts")?,
            })
        })
        .collect()
}

/// Bit of indicator `n` (1–12) in the household's masks.
fn bit(n: i64) -> i64 {
    1i64 << (n - 1).clamp(0, 62)
}

/// `sum(...) as x_n` columns for the twelve indicators over the masks.
fn mask_sums(expr: impl Fn(i64) -> String, alias: &str) -> String {
    (1..=12)
        .map(|n| format!("sum(case when {} then 1 else 0 end) as {alias}_{n}", expr(bit(n))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// For each indicator (and residential group, when `per_group`): among poor and near-poor
/// households, how many are not deprived and how many are known. Rows: (group or "", number,
/// not deprived, known). One scan of the poor and near-poor rows, reading the masks.
pub async fn indicator_shares(
    db: &Db,
    p: &Principal,
    per_group: bool,
) -> Result<Vec<(String, i64, i64, i64)>, StoreError> {
    let mut w = Where::scope(p);
    w.raw("h.category in ('poor', 'near_poor')");
    let group = if per_group { "h.group_code" } else { "''" };
    let met = mask_sums(|b| format!("(h.deprived_mask & {b}) = 0 and (h.unknown_mask & {b}) = 0"), "met");
    let known = mask_sums(|b| format!("(h.unknown_mask & {b}) = 0"), "known");
    // PostgreSQL refuses a constant in `group by`: the ward-wide figures have none.
    let group_by = if per_group { " group by h.group_code order by 1" } else { "" };
    let sql = format!("select {group} as g, {met}, {known} from household h{}{group_by}", w.sql());
    let rows = w.query(sql).fetch_all(&db.pool).await?;
    let mut out = Vec::new();
    for r in &rows {
        let g: String = r.try_get("g")?;
        for n in 1..=12i64 {
            let met: Option<i64> = r.try_get(format!("met_{n}").as_str())?;
            let known: Option<i64> = r.try_get(format!("known_{n}").as_str())?;
            out.push((g.clone(), n, met.unwrap_or(0), known.unwrap_or(0)));
        }
    }
    Ok(out)
}

/// The per-person plan measures (standard §9, `shared::plan::person_counts`) for the ward
/// (`per_group` false: group `""`) or per residential group: (group, measure, met, known).
/// Insurance and schooling count the persons of poor and near-poor households; training also
/// the workers of recently escaped households (the plan's wording).
pub async fn person_shares(
    db: &Db,
    p: &Principal,
    per_group: bool,
) -> Result<Vec<(String, shared::plan::PersonMeasure, i64, i64)>, StoreError> {
    use shared::plan::PersonMeasure::*;
    let mut w = Where::scope(p);
    w.raw("(h.category in ('poor', 'near_poor') or h.recently_escaped = 1)");
    let group = if per_group { "h.group_code" } else { "''" };
    let group_by = if per_group { " group by h.group_code order by 1" } else { "" };
    let listed = |col: &str| format!("sum(case when h.category in ('poor', 'near_poor') then h.{col} end) as {col}");
    let sql = format!(
        "select {group} as g, {}, {}, {}, {}, sum(h.trained_workers) as trained_workers, \
         sum(h.diploma_workers) as diploma_workers, sum(h.training_known) as training_known from household h{}{group_by}",
        listed("insured_persons"),
        listed("insurance_known"),
        listed("schooled_children"),
        listed("schooling_known"),
        w.sql()
    );
    let rows = w.query(sql).fetch_all(&db.pool).await?;
    let mut out = Vec::new();
    for r in &rows {
        let g: String = r.try_get("g")?;
        let n = |c: &str| -> Result<i64, sqlx::Error> { Ok(r.try_get::<Option<i64>, _>(c)?.unwrap_or(0)) };
        for (m, met, known) in [
            (Insured, "insured_persons", "insurance_known"),
            (Schooled, "schooled_children", "schooling_known"),
            (Trained, "trained_workers", "training_known"),
            (Diploma, "diploma_workers", "training_known"),
        ] {
            out.push((g.clone(), m, n(met)?, n(known)?));
        }
    }
    Ok(out)
}

/// Deprived households per indicator among one category, or all (`None`): (number, count).
async fn deprived_counts(db: &Db, p: &Principal, category: Option<&str>) -> Result<Vec<(i64, i64)>, StoreError> {
    let mut w = Where::scope(p);
    if let Some(c) = category {
        w.push("h.category = $?", Param::Text(c.to_owned()));
    }
    let sums = mask_sums(|b| format!("(h.deprived_mask & {b}) <> 0"), "d");
    let sql = format!("select {sums} from household h{}", w.sql());
    let r = w.query(sql).fetch_one(&db.pool).await?;
    (1..=12i64).map(|n| Ok((n, r.try_get::<Option<i64>, _>(format!("d_{n}").as_str())?.unwrap_or(0)))).collect()
}

/// Deprived households per indicator among one category (report tables 4–7): (number, count).
pub async fn deprivation_counts(db: &Db, p: &Principal, category: &str) -> Result<Vec<(i64, i64)>, StoreError> {
    deprived_counts(db, p, Some(category)).await
}

/// Deprived households per indicator, all categories: (number, count).
pub async fn deprived_by_indicator(db: &Db, p: &Principal) -> Result<Vec<(i64, i64)>, StoreError> {
    deprived_counts(db, p, None).await
}

/// A collector's device: who, which groups, last sync, pending households.
#[derive(Debug, Clone)]
pub struct CollectorRow {
    /// User's display name.
    pub name: String,
    /// Their groups, comma separated.
    pub groups: String,
    /// Last sync of any of their devices.
    pub last_sync_at: Option<String>,
    /// Households in their groups still listed or returned.
    pub pending: i64,
}

/// Per collector: last sync and pending work, within `p`'s commune.
pub async fn collectors(db: &Db, p: &Principal) -> Result<Vec<CollectorRow>, StoreError> {
    let scope = if p.role == Role::Admin { "" } else { " and u.commune = $1" };
    let sql = format!(
        "select u.id, u.display_name, (select max(d.last_sync_at) from device d where d.user_id = u.id) as last_sync, \
         (select count(*) from household h join user_area a on a.group_code = h.group_code and a.user_id = u.id \
          where h.commune = u.commune and h.review_status in ('listed', 'returned')) as pending \
         from app_user u where u.role = 'collector'{scope} order by u.display_name"
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    if p.role != Role::Admin {
        q = q.bind(p.commune.clone());
    }
    let rows = q.fetch_all(&db.pool).await?;
    let areas =
        sqlx::query("select user_id, group_code from user_area order by group_code").fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            let id: String = r.try_get("id")?;
            let groups = areas
                .iter()
                .filter(|a| a.try_get::<String, _>("user_id").is_ok_and(|u| u == id))
                .filter_map(|a| a.try_get::<String, _>("group_code").ok())
                .collect::<Vec<_>>()
                .join(", ");
            Ok(CollectorRow {
                name: r.try_get("display_name")?,
                groups,
                last_sync_at: r.try_get("last_sync")?,
                pending: r.try_get("pending")?,
            })
        })
        .collect()
}

/// An enrolled device that writes with an actor: its id, actor (hex), label and user's name.
#[derive(Debug, Clone)]
pub struct ActorDevice {
    /// Device id.
    pub id: String,
    /// Its Automerge actor, hex.
    pub actor: String,
    /// Its label.
    pub label: String,
    /// Its user's display name.
    pub user: String,
}

/// The enrolled devices writing with any of `actors` (hex). Actors not found are the server's
/// (ward staff's edits, seeding).
pub async fn devices_of_actors(db: &Db, actors: &[&str]) -> Result<Vec<ActorDevice>, StoreError> {
    if actors.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select d.id, d.actor_id, d.label, u.display_name from device d join app_user u on u.id = d.user_id \
         where d.actor_id in ({})",
        super::placeholders(1, actors.len())
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for a in actors {
        q = q.bind((*a).to_owned());
    }
    q.fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ActorDevice {
                id: r.try_get("id")?,
                actor: r.try_get("actor_id")?,
                label: r.try_get("label")?,
                user: r.try_get("display_name")?,
            })
        })
        .collect()
}

/// Who writes with each of `actors` (hex): "user name (device label)" for enrolled devices.
pub async fn actor_names(db: &Db, actors: &[String]) -> Result<std::collections::HashMap<String, String>, StoreError> {
    let actors: Vec<&str> = actors.iter().map(String::as_str).collect();
    Ok(devices_of_actors(db, &actors)
        .await?
        .into_iter()
        .map(|d| (d.actor, format!("{} ({})", d.user, d.label)))
        .collect())
}

/// One household deprived on an indicator, with the reason naming the members.
#[derive(Debug, Clone)]
pub struct DeprivedRow {
    /// Household id.
    pub id: String,
    /// Code.
    pub code: Option<String>,
    /// Group.
    pub group: String,
    /// Head's name.
    pub head_name: String,
    /// Address.
    pub address: String,
    /// Category code.
    pub category: Option<String>,
    /// Reason, Vietnamese.
    pub reason_vi: String,
    /// Reason, English.
    pub reason_en: String,
}

/// The households deprived on indicator `number`, by group and code, at most `limit`.
pub async fn deprived_on(db: &Db, p: &Principal, number: i64, limit: i64) -> Result<Vec<DeprivedRow>, StoreError> {
    let mut w = Where::scope(p);
    w.raw("i.status = 'deprived'");
    w.push("i.number = $?", Param::Int(number));
    let sql = format!(
        "select h.id, h.code, h.group_code, h.head_name, h.address, h.category, i.reason_vi, i.reason_en \
         from indicator_result i join household h on h.id = i.household_id{} order by h.group_code, h.code, h.id limit ${}",
        w.sql(),
        w.next()
    );
    let rows = w.query(sql).bind(limit).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            Ok(DeprivedRow {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                group: r.try_get("group_code")?,
                head_name: r.try_get("head_name")?,
                address: r.try_get("address")?,
                category: r.try_get("category")?,
                reason_vi: r.try_get("reason_vi")?,
                reason_en: r.try_get("reason_en")?,
            })
        })
        .collect()
}

/// Every household's record (dictionary JSON text) in `p`'s scope, a page at a time by id.
pub async fn records_after(
    db: &Db,
    p: &Principal,
    after: &str,
    limit: i64,
) -> Result<Vec<(String, String)>, StoreError> {
    let mut w = Where::scope(p);
    w.push("h.id > $?", Param::Text(after.to_owned()));
    let n = w.next();
    let sql = format!("select h.id, h.record_json from household h{} order by h.id limit ${n}", w.sql());
    let rows = w.query(sql).bind(limit).fetch_all(&db.pool).await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("record_json")?))).collect()
}

/// A poor or near-poor household's stored record (report tables read from the households
/// themselves: §8 tables 8–11 and 14–15).
#[derive(Debug, Clone)]
pub struct ListedRecord {
    /// Household id.
    pub id: String,
    /// Category code (`poor` or `near_poor`).
    pub category: String,
    /// The standard it was classified under.
    pub standard: Option<String>,
    /// The record, dictionary JSON text.
    pub record_json: String,
}

/// The poor and near-poor households of `p`'s scope with their records, in the order of the
/// lists of tables 12–13 (residential group, code, id): one query.
pub async fn listed_records(db: &Db, p: &Principal) -> Result<Vec<ListedRecord>, StoreError> {
    let mut w = Where::scope(p);
    w.raw("h.category in ('poor', 'near_poor')");
    let sql = format!(
        "select h.id, h.category, h.standard, h.record_json from household h{} order by {}",
        w.sql(),
        Sort::Group.order_by()
    );
    let rows = w.query(sql).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            Ok(ListedRecord {
                id: r.try_get("id")?,
                category: r.try_get("category")?,
                standard: r.try_get("standard")?,
                record_json: r.try_get("record_json")?,
            })
        })
        .collect()
}

/// Households per (residential group, category) in `p`'s scope.
pub async fn group_category_counts(db: &Db, p: &Principal) -> Result<Vec<(String, Option<String>, i64)>, StoreError> {
    let w = Where::scope(p);
    let sql = format!(
        "select h.group_code as g, h.category as c, count(*) as n from household h{} group by h.group_code, h.category order by 1",
        w.sql()
    );
    let rows = w.query(sql).fetch_all(&db.pool).await?;
    rows.iter().map(|r| Ok((r.try_get("g")?, r.try_get("c")?, r.try_get("n")?))).collect()
}

/// Households counted by last year's category, this year's, and relapse (tables 2–3, §8).
pub async fn standing_counts(db: &Db, p: &Principal) -> Result<Vec<shared::report::StandingCount>, StoreError> {
    let w = Where::scope(p);
    let sql = format!(
        "select h.previous_category as pc, h.category as c, h.transition as t, count(*) as n from household h{} \
         group by h.previous_category, h.category, h.transition",
        w.sql()
    );
    let rows = w.query(sql).fetch_all(&db.pool).await?;
    let category = |code: Option<String>| code.as_deref().and_then(shared::model::Category::from_code);
    rows.iter()
        .map(|r| {
            let transition: Option<String> = r.try_get("t")?;
            Ok(shared::report::StandingCount {
                previous: category(r.try_get("pc")?),
                current: category(r.try_get("c")?),
                relapsed: transition.as_deref() == Some(shared::poverty::Transition::Relapsed.as_code()),
                households: r.try_get("n")?,
            })
        })
        .collect()
}

/// Whether the commune is urban, as its households' records say (`None`: no household yet).
pub async fn commune_is_urban(db: &Db, commune: &str) -> Result<Option<bool>, StoreError> {
    let record: Option<String> = sqlx::query_scalar("select record_json from household where commune = $1 limit 1")
        .bind(commune)
        .fetch_optional(&db.pool)
        .await?;
    Ok(record
        .and_then(|r| serde_json::from_str::<Value>(&r).ok())
        .and_then(|v| v.pointer("/area/urban").and_then(Value::as_bool)))
}

/// Which of `ids` are already households in the registry.
pub async fn existing_ids(db: &Db, ids: &[String]) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        let list = super::placeholders(1, chunk.len());
        let mut q =
            sqlx::query_scalar::<_, String>(AssertSqlSafe(format!("select id from household where id in ({list})")));
        for id in chunk {
            q = q.bind(id.clone());
        }
        out.extend(q.fetch_all(&db.pool).await?);
    }
    Ok(out)
}
