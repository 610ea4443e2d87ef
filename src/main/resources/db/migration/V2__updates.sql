-- Software updates: the request, per-cluster progress, per-member progress (the API's and Cockpit's view).

create table stratos_update (
    id                varchar(64)   not null primary key,
    application_id    varchar(64)   not null references stratos_application (id),
    state             varchar(24)   not null,
    request           varchar(4000) not null,   -- the request as JSON, as checked
    requested_action  varchar(24),              -- PAUSE, ABORT, ABORT_AND_ROLL_BACK: picked up between batches
    message           varchar(1000),
    created_by        varchar(128),
    created_at        timestamp     not null,
    started_at        timestamp,
    ended_at          timestamp
);
create index ix_update_application on stratos_update (application_id, created_at);

create table stratos_update_cluster (
    update_id         varchar(64)   not null references stratos_update (id),
    cluster_id        varchar(255)  not null,
    position          integer       not null,   -- order of the clusters (startup order)
    state             varchar(24)   not null,
    from_version      varchar(255)  not null,
    to_version        varchar(255)  not null,
    members           integer       not null,   -- members to update when it started
    batch_size        integer       not null,
    failure_budget    integer       not null,
    min_healthy       integer       not null,
    current_batch     integer       not null,
    approved_batch    integer       not null,   -- the highest batch an operator approved (approval gates)
    message           varchar(1000),
    started_at        timestamp,
    ended_at          timestamp,
    primary key (update_id, cluster_id)
);

create table stratos_update_member (
    update_id         varchar(64)   not null references stratos_update (id),
    member_id         varchar(255)  not null,   -- the member the update started on
    cluster_id        varchar(255)  not null,
    batch_number      integer       not null,
    state             varchar(24)   not null,
    from_version      varchar(255),
    to_version        varchar(255)  not null,
    current_member_id varchar(255),             -- the member holding this place now (containers: after replacement)
    replacement_member_id varchar(255),         -- containers: the replacement being started, until it takes the place
    exit_code         integer,
    message           varchar(1000),
    output_tail       varchar(4000),
    started_at        timestamp,
    ended_at          timestamp,
    rollback_started_at timestamp,
    rollback_ended_at   timestamp,
    primary key (update_id, member_id)
);
create index ix_update_member_cluster on stratos_update_member (update_id, cluster_id, batch_number);
create index ix_update_member_current on stratos_update_member (current_member_id);
create index ix_update_member_replacement on stratos_update_member (replacement_member_id);
