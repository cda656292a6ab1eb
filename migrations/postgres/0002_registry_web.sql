-- The ward staff's registry web interface. Keep in step with ../sqlite/0002_registry_web.sql.

-- Web sessions: the cookie holds a random id, the database only its SHA-256.
create table web_session (
    id_hash text primary key,
    user_id text not null references app_user (id),
    created_at text not null,
    last_seen_at text not null,
    expires_at text not null
);
create index web_session_user on web_session (user_id);

-- What the registry shows without parsing documents: last year's category, the transition,
-- and the review step (the step itself lives in the household document).
alter table household add column previous_category text;
alter table household add column transition text;
alter table household add column review_status text not null default 'listed';
alter table household add column review_comment text;
alter table household add column agreement_percent bigint;
alter table household add column review_at text;
create index household_review on household (commune, review_status);
create index household_group_category on household (commune, group_code, category);
create index household_conflicts on household (commune, conflict_count);
create index indicator_result_household_status on indicator_result (household_id, status, number);

-- Every action of a web user: logins, review steps, resolutions, exports, imports.
create table web_audit (
    id bigint generated always as identity primary key,
    user_id text,
    action text not null,
    household_id text,
    detail_json text not null,
    at text not null
);
create index web_audit_household on web_audit (household_id, id);
