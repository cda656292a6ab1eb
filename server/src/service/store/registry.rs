//! The ward registry: a queryable projection of each merged household document — the
//! household row, its members, measurements with z-scores, the indicator results, the
//! classification and the conflicts. Recomputed from the document by calling `shared` (no rule
//! lives here) in the same transaction that stores the document's changes.

use automerge::Automerge;
use serde_json::{Value, json};
use shared::doc::{Conflict, DocReview, conflicts, review_of, to_json};
use shared::growth::ZScore;
use shared::model::Household;
use shared::model::anthropometry::growth_of;
use shared::model::read_household;
use shared::poverty::{Classification, PovertyStandard, classify_household};
use shared::validate::validate_household;
use sqlx::{Any, Transaction};

use super::StoreError;
use crate::service::db::now_text;

/// Where a household is: what scope checks need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Province code.
    pub province: String,
    /// Commune code.
    pub commune: String,
    /// Residential group.
    pub group: String,
}

/// The area of a document, read from its `area` map, if it has one.
pub fn place_of(json: &Value) -> Option<Place> {
    let area = json.get("area")?;
    let text = |k: &str| area.get(k).and_then(Value::as_str).map(str::to_owned);
    Some(Place { province: text("province")?, commune: text("commune")?, group: text("group")? })
}

/// A merged document as the registry needs it, computed once.
pub struct Projection {
    /// The dictionary JSON form.
    pub json: Value,
    /// Fields with concurrent values.
    pub conflicts: Vec<Conflict>,
    /// The review step ward staff recorded, if any.
    pub review: Option<DocReview>,
}

impl Projection {
    /// Reads a merged document.
    pub fn of(household_id: &str, doc: &Automerge) -> Result<Projection, StoreError> {
        let json = to_json(doc).map_err(|e| StoreError::CorruptDocument(household_id.into(), e.to_string()))?;
        Ok(Projection { json, conflicts: conflicts(doc), review: review_of(doc) })
    }
}

/// Recomputes every registry row of one household from its merged document: read and
/// validated with every rule of `shared` (today's date for "not in the future"), classified
/// under the standard of its review year.
pub async fn project(
    tx: &mut Transaction<'static, Any>,
    household_id: &str,
    projection: &Projection,
    place: &Place,
    feed_seq: i64,
) -> Result<(), StoreError> {
    let json = &projection.json;
    let (household, issues) = read_household(json);
    let mut issues = issues;
    if let Some(h) = &household {
        issues.extend(validate_household(h, crate::service::clock::today_in_vietnam()));
    }
    let valid = household.is_some() && !issues.iter().any(|i| i.is_error());
    let conflicts = &projection.conflicts;
    let judged = household.as_ref().filter(|_| valid).map(|h| {
        let standard = PovertyStandard::default_for_year(h.review_year.get());
        let persons = shared::plan::person_counts(h, h.interview_date, &standard.params);
        (classify_household(h, &standard, h.interview_date), persons)
    });
    let (classification, persons) = match judged {
        Some((c, p)) => (Some(c), Some(p)),
        None => (None, None),
    };
    let issues_json = serde_json::to_string(&issues).unwrap_or_else(|_| "[]".into());
    upsert_household(
        tx,
        household_id,
        json,
        place,
        household.as_ref(),
        classification.as_ref(),
        valid,
        conflicts.len(),
        &issues_json,
        feed_seq,
    )
    .await?;
    update_review_columns(tx, household_id, projection, classification.as_ref(), persons.as_ref()).await?;
    for table in ["household_member", "measurement", "indicator_result", "doc_conflict"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("delete from {table} where household_id = $1")))
            .bind(household_id)
            .execute(&mut **tx)
            .await?;
    }
    if let Some(h) = &household {
        insert_members(tx, household_id, h).await?;
        insert_measurements(tx, household_id, h).await?;
    }
    if let Some(c) = &classification {
        insert_indicators(tx, household_id, c).await?;
    }
    for c in conflicts {
        let values: Vec<Value> =
            c.values.iter().map(|v| json!({"value": v.value, "actor": v.actor, "timestamp": v.timestamp})).collect();
        sqlx::query("insert into doc_conflict (household_id, path, values_json) values ($1, $2, $3)")
            .bind(household_id)
            .bind(&c.path)
            .bind(Value::Array(values).to_string())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn upsert_household(
    tx: &mut Transaction<'static, Any>,
    id: &str,
    json: &Value,
    place: &Place,
    h: Option<&Household>,
    c: Option<&Classification>,
    valid: bool,
    conflict_count: usize,
    issues_json: &str,
    feed_seq: i64,
) -> Result<(), StoreError> {
    let text = |k: &str| json.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let head = h
        .and_then(|h| h.members.iter().find(|m| m.relation == shared::model::Relation::Head))
        .map(|m| m.full_name.to_string())
        .unwrap_or_default();
    let code = json.get("code").and_then(Value::as_str).map(str::to_owned);
    let address = text("address");
    let search = shared::text::search_key(&format!("{head} {address} {}", code.as_deref().unwrap_or_default()));
    let members = json.get("members").and_then(Value::as_array).map_or(0, Vec::len) as i64;
    sqlx::query(
        "insert into household (id, province, commune, group_code, area_key, code, address, head_name, search_text, review_year, \
         interview_date, member_count, valid, standard, category, income_condition, b2_score, deprived_count, unknown_count, \
         conflict_count, issues_json, record_json, last_feed_seq, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) \
         on conflict (id) do update set province = excluded.province, commune = excluded.commune, group_code = excluded.group_code, \
         area_key = excluded.area_key, code = excluded.code, address = excluded.address, head_name = excluded.head_name, \
         search_text = excluded.search_text, review_year = excluded.review_year, interview_date = excluded.interview_date, \
         member_count = excluded.member_count, valid = excluded.valid, standard = excluded.standard, category = excluded.category, \
         income_condition = excluded.income_condition, b2_score = excluded.b2_score, deprived_count = excluded.deprived_count, \
         unknown_count = excluded.unknown_count, conflict_count = excluded.conflict_count, issues_json = excluded.issues_json, \
         record_json = excluded.record_json, last_feed_seq = excluded.last_feed_seq, updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(&place.province)
    .bind(&place.commune)
    .bind(&place.group)
    .bind(crate::service::auth::area_key(&place.commune, &place.group))
    .bind(code)
    .bind(address)
    .bind(head)
    .bind(search)
    .bind(json.get("review_year").and_then(Value::as_i64).unwrap_or_default())
    .bind(text("interview_date"))
    .bind(members)
    .bind(i64::from(valid))
    .bind(c.map(|c| c.standard.clone()))
    .bind(c.map(|c| c.category.as_code().to_owned()))
    .bind(c.and_then(|c| c.income_condition).map(i64::from))
    .bind(c.map(|c| i64::from(c.b2_score)))
    .bind(c.map(|c| i64::from(c.deprived_count)))
    .bind(c.map(|c| i64::from(c.unknown_count)))
    .bind(conflict_count as i64)
    .bind(issues_json)
    .bind(json.to_string())
    .bind(feed_seq)
    .bind(now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The columns the registry's lists filter on without parsing documents: last year's
/// category, the transition, the review step (or its initial value, standard §7), and the
/// indicators as bit masks (bit n − 1 for indicator n), and the persons counted for the plan
/// targets stated per person (`shared::plan::person_counts`).
async fn update_review_columns(
    tx: &mut Transaction<'static, Any>,
    id: &str,
    projection: &Projection,
    c: Option<&Classification>,
    persons: Option<&shared::plan::PersonCounts>,
) -> Result<(), StoreError> {
    let previous = projection.json.pointer("/previous/category").and_then(Value::as_str).map(str::to_owned);
    let review = projection.review.as_ref();
    let status = review.map_or_else(|| shared::review::ReviewStatus::initial(c.is_some()), |r| r.status);
    let mask = |s: shared::poverty::Status| {
        c.map(|c| c.indicators.iter().filter(|i| i.status == s).fold(0i64, |m, i| m | (1i64 << (i.number - 1))))
    };
    sqlx::query(
        "update household set previous_category = $1, transition = $2, review_status = $3, review_comment = $4, \
         agreement_percent = $5, review_at = $6, deprived_mask = $7, unknown_mask = $8, insured_persons = $9, \
         insurance_known = $10, schooled_children = $11, schooling_known = $12, trained_workers = $13, \
         diploma_workers = $14, training_known = $15, recently_escaped = $16 where id = $17",
    )
    .bind(previous)
    .bind(c.and_then(|c| c.transition).map(|t| t.as_code().to_owned()))
    .bind(status.as_code())
    .bind(review.and_then(|r| r.comment.clone()))
    .bind(review.and_then(|r| r.agreement_percent))
    .bind(review.and_then(|r| r.at.clone()))
    .bind(mask(shared::poverty::Status::Deprived))
    .bind(mask(shared::poverty::Status::Unknown))
    .bind(persons.map(|p| i64::from(p.insured)))
    .bind(persons.map(|p| i64::from(p.insurance_known)))
    .bind(persons.map(|p| i64::from(p.schooled)))
    .bind(persons.map(|p| i64::from(p.schooling_known)))
    .bind(persons.map(|p| i64::from(p.trained)))
    .bind(persons.map(|p| i64::from(p.diploma)))
    .bind(persons.map(|p| i64::from(p.training_known)))
    .bind(c.map(|c| i64::from(c.recently_escaped)))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// `($1, $2, …), ($n+1, …)` for `rows` rows of `cols` columns: one statement per table
/// instead of one per row (a round trip each on PostgreSQL).
fn values_clause(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=cols).map(|c| format!("${}", r * cols + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn insert_members(tx: &mut Transaction<'static, Any>, id: &str, h: &Household) -> Result<(), StoreError> {
    if h.members.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "insert into household_member (household_id, member_id, position, full_name, sex, birth_date, birth_year, age_years, relation, ethnicity) values {}",
        values_clause(h.members.len(), 10)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (position, m) in h.members.iter().enumerate() {
        q = q
            .bind(id)
            .bind(m.member_id.to_string())
            .bind(position as i64)
            .bind(m.full_name.as_str())
            .bind(m.sex.as_code())
            .bind(m.birth.exact_date().map(|d| d.to_string()))
            .bind(i64::from(m.birth.year()))
            .bind(m.age_years(h.interview_date).map(i64::from))
            .bind(m.relation.as_code())
            .bind(m.ethnicity.as_ref().map(|e| e.as_str().to_owned()));
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

async fn insert_measurements(tx: &mut Transaction<'static, Any>, id: &str, h: &Household) -> Result<(), StoreError> {
    if h.measurements.is_empty() {
        return Ok(());
    }
    // Integers (see the migration): z in hundredths, grams, millimetres.
    let z = |z: Option<ZScore>| z.map(|z| (z.rounded * 100.0).round() as i64);
    let flag = |z: Option<ZScore>| z.map(|z| i64::from(z.flagged));
    let sql = format!(
        "insert into measurement (household_id, measurement_id, member_id, measured_on, weight_g, lenhei_mm, measure, oedema, \
         haz_centi, waz_centi, whz_centi, baz_centi, haz_flag, waz_flag, whz_flag, baz_flag) values {}",
        values_clause(h.measurements.len(), 16)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for m in &h.measurements {
        let g = h.member(m.member_id).and_then(|child| growth_of(child, m));
        let get = |f: fn(&shared::growth::GrowthResult) -> Option<ZScore>| g.as_ref().and_then(f);
        q = q
            .bind(id)
            .bind(m.measurement_id.to_string())
            .bind(m.member_id.to_string())
            .bind(m.measured_on.to_string())
            .bind(m.weight_kg.map(|w| (w.get() * 1000.0).round() as i64))
            .bind(m.lenhei_cm.map(|l| (l.get() * 10.0).round() as i64))
            .bind(m.measure.map(|p| p.as_code().to_owned()))
            .bind(i64::from(m.oedema))
            .bind(z(get(|g| g.haz)))
            .bind(z(get(|g| g.waz)))
            .bind(z(get(|g| g.whz)))
            .bind(z(get(|g| g.baz)))
            .bind(flag(get(|g| g.haz)))
            .bind(flag(get(|g| g.waz)))
            .bind(flag(get(|g| g.whz)))
            .bind(flag(get(|g| g.baz)));
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

async fn insert_indicators(tx: &mut Transaction<'static, Any>, id: &str, c: &Classification) -> Result<(), StoreError> {
    if c.indicators.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "insert into indicator_result (household_id, number, code, status, reason_vi, reason_en) values {}",
        values_clause(c.indicators.len(), 6)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for i in &c.indicators {
        let status = match i.status {
            shared::poverty::Status::Deprived => "deprived",
            shared::poverty::Status::NotDeprived => "not_deprived",
            shared::poverty::Status::Unknown => "unknown",
        };
        q = q.bind(id).bind(i64::from(i.number)).bind(&i.code).bind(status).bind(&i.reason.vi).bind(&i.reason.en);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// Recomputes the registry rows of up to `limit` households with ids after `after`, in id
/// order, from their stored documents — after a migration adds projected columns, or after the
/// rules in `shared` changed. Each page is one transaction holding the documents' write locks
/// (in id order, as every writer takes them), so a device's change stored meanwhile is never
/// overwritten by an older projection. Returns how many were recomputed and the last id
/// (`None` when there were none left).
pub async fn rebuild_page(
    db: &crate::service::db::Db,
    after: &str,
    limit: i64,
) -> Result<(usize, Option<String>), StoreError> {
    use sqlx::Row;
    let rows = sqlx::query("select id, last_feed_seq from household where id > $1 order by id limit $2")
        .bind(after)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    let page: Vec<(String, i64)> =
        rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("last_feed_seq")?))).collect::<Result<_, sqlx::Error>>()?;
    let Some((last, _)) = page.last().cloned() else { return Ok((0, None)) };
    let mut w = db.begin_write().await?;
    for (id, _) in &page {
        super::documents::lock(&mut w.tx, db.backend, id).await?;
    }
    let mut done = 0;
    for (id, feed_seq) in &page {
        // A household imported into the registry without a document (none today) is left as is.
        let Some(stored) = super::documents::load(&mut w.tx, id).await? else { continue };
        let projection = Projection::of(id, &stored.doc)?;
        let Some(place) = place_of(&projection.json) else { continue };
        project(&mut w.tx, id, &projection, &place, *feed_seq).await?;
        done += 1;
    }
    w.commit().await?;
    Ok((done, Some(last)))
}
