-- Members on VMs are updated a batch at a time by one batchUpdate flow: the batch's members are marked Updating and
-- sent their commands together, and the flow waits once for every agent's report instead of once per member.

-- the batchUpdate flow (its process instance id) applying this member through its agent, and the agent's verdict
-- (null until it reports; a second report for the same command changes nothing)
alter table stratos_update_member add column agent_batch varchar(64);
alter table stratos_update_member add column report_ok boolean;
create index ix_update_member_agent_batch on stratos_update_member (agent_batch);

-- one row per batch waiting for its agents: how many have not reported yet, and until when the flow waits
create table stratos_agent_batch (
    id           varchar(64)  not null primary key,
    update_id    varchar(64)  not null references stratos_update (id),
    outstanding  integer      not null,
    deadline     timestamp    not null
);
