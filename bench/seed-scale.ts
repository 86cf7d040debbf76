import type postgres from "postgres";

/**
 * Bulk rows for the benchmark, written in SQL (minutes of verb calls would measure the seeding, not
 * Greenlight). Shapes follow the real ones: people with roles in teams, models with versions,
 * requests in every status with their chains, and audit events that link (prev_hash = previous hash).
 */
export async function seedAtScale(sql: postgres.Sql, size: { requests: number; audit: number; users: number }) {
  await sql.unsafe(`
    insert into teams (name) select 'Bench team ' || i from generate_series(1, 20) i on conflict do nothing;

    insert into users (id, email, name)
    select 'bench-user-' || i, 'user' || i || '@bench.example', 'Bench User ' || i from generate_series(1, ${size.users}) i;
    insert into user_roles (user_id, role)
    select 'bench-user-' || i, (case when i % 10 < 7 then 'requester' when i % 10 = 7 then 'manager' when i % 10 = 8 then 'security' else 'ml_lead' end)::role
    from generate_series(1, ${size.users}) i;
    insert into memberships (user_id, team_id)
    select 'bench-user-' || i, t.id from generate_series(1, ${size.users}) i
    join (select id, row_number() over (order by name) - 1 as n from teams where name like 'Bench team %') t on t.n = (i / 10) % 20; -- every team gets every role

    insert into models (name, team_id, description, owner_id)
    select 'bench-model-' || t.n, t.id, 'benchmark model', 'bench-user-' || (t.n * 10 + 1)
    from (select id, row_number() over (order by name) - 1 as n from teams where name like 'Bench team %') t;
    insert into model_versions (model_id, version, source_uri, framework, hyperparameters, dataset_name, dataset_version, metrics, created_by)
    select m.id, 'v' || v, 's3://bench/' || m.name || '/v' || v, 'xgboost', jsonb_build_object('depth', v + 4, 'eta', 0.1), 'bench', '2026-' || v, jsonb_build_object('auc', 0.9 + v / 100.0), m.owner_id
    from models m, generate_series(1, 5) v where m.name like 'bench-model-%';
  `);

  await sql.unsafe(`
    create temporary table bench_versions as
      select mv.id as version_id, m.team_id, row_number() over (order by mv.id) - 1 as n from model_versions mv join models m on m.id = mv.model_id where m.name like 'bench-model-%';
    create temporary table bench_requesters as
      select u.id as user_id, mb.team_id, row_number() over (partition by mb.team_id order by u.id) - 1 as n
      from users u join user_roles r on r.user_id = u.id and r.role = 'requester' join memberships mb on mb.user_id = u.id where u.id like 'bench-user-%';

    insert into change_requests (kind, title, description, model_version_id, environment, risk, emergency, status, revision, requested_by, team_id, submitted_at, decided_at, approval_expires_at, deployed_at, created_at, updated_at)
    select 'deployment', 'Bench request ' || g, 'Generated for the benchmark.', v.version_id,
      (case when g % 2 = 0 then 'staging' else 'production' end),
      (case when g % 7 = 0 then 'high' when g % 3 = 0 then 'low' else 'medium' end)::risk,
      false,
      (case when g % 20 < 4 then 'in_review' when g % 20 < 7 then 'approved' when g % 20 < 13 then 'deployed' when g % 20 < 15 then 'rejected'
            when g % 20 < 17 then 'draft' when g % 20 = 17 then 'changes_requested' when g % 20 = 18 then 'withdrawn' else 'expired' end)::request_status,
      1, rq.user_id, v.team_id,
      now() - (g % 365) * interval '1 day', now() - (g % 300) * interval '1 day', now() + interval '14 days',
      case when g % 20 between 7 and 12 then now() - (g % 200) * interval '1 day' end,
      now() - (g % 400) * interval '1 day', now() - (g % 365) * interval '1 day'
    from generate_series(1, ${size.requests}) g
    join bench_versions v on v.n = g % (select count(*) from bench_versions)
    join bench_requesters rq on rq.team_id = v.team_id and rq.n = g % 30;

    insert into request_steps (request_id, revision, stage, name, role, scope, team_id, quorum, sla_hours, policies, status, approvals, opened_at, completed_at)
    select r.id, 1, s.stage, s.name, s.role::role, s.scope::step_scope, case when s.scope = 'requester_team' then r.team_id end, 1, 48,
      -- The real default policy the step comes from: readers load its conflicts by id (a uuid).
      jsonb_build_array(jsonb_build_object('id', p.id, 'name', p.name, 'version', p.version)),
      (case when r.status = 'in_review' then 'pending' else 'approved' end)::step_status,
      case when r.status = 'in_review' then 0 else 1 end, r.submitted_at,
      -- Decided after a wait that varies by request and step (up to about four days), as insights read it.
      case when r.status <> 'in_review' then r.submitted_at + make_interval(hours => (r.number * s.stage * 7) % 97) end
    from change_requests r
    join (values ('staging', 1, 'ML lead review', 'ml_lead', 'any'), ('production', 1, 'Security review', 'security', 'any'),
                 ('production', 1, 'Manager sign-off', 'manager', 'requester_team'), ('production', 2, 'ML lead approval', 'ml_lead', 'any')) s(env, stage, name, role, scope)
      on s.env = r.environment::text
    join approval_policies p on p.name = case when s.env = 'staging' then 'Staging deployments' else 'Production deployments' end
    where r.status <> 'draft' and r.title like 'Bench request %';
  `);

  const [head] = await sql<
    { seq: number; hash: string }[]
  >`select seq::int, hash from audit_events order by seq desc limit 1`;
  const start = (head?.seq ?? 0) + 1;
  const count = Math.max(0, size.audit - (head?.seq ?? 0));
  await sql.unsafe(`
    insert into audit_events (seq, occurred_at, actor_id, actor_email, action, entity_type, entity_id, data, prev_hash, hash)
    select s, now() - (${start + count} - s) * interval '1 second', null, 'user' || (s % ${size.users}) || '@bench.example',
      (array['request.created','request.submitted','request.decided','request.commented','request.deployed'])[1 + s % 5], 'change_request', 'bench-' || (s % ${size.requests}),
      jsonb_build_object('number', 1000 + s % ${size.requests}, 'bench', true),
      case when s = ${start} then '${head?.hash ?? "0".repeat(64)}' else encode(sha256(('bench' || (s - 1))::bytea), 'hex') end,
      encode(sha256(('bench' || s)::bytea), 'hex')
    from generate_series(${start}, ${start + count - 1}) s;
    analyze;
  `);
}
