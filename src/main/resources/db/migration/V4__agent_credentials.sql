-- Agents authenticate to the broker, and a member can only be spoken for by the principal it was registered to.

-- a broker user the manager issued: one member's agent (kind MEMBER, user = the member id) or a process that hosts
-- many members (kind FLEET: the simulated fleet, a FleetMain). Only a salted PBKDF2 hash of the password is kept;
-- password_hash is null once the credentials are revoked.
create table stratos_agent_principal (
    name            varchar(255) not null primary key,
    kind            varchar(16)  not null,
    password_hash   varchar(255),
    issued_at       timestamp    not null,
    issued_by       varchar(255) not null,
    rotated_at      timestamp,
    revoked_at      timestamp
);

-- a registered member: the only members an agent can announce, and the principal that may speak for each
create table stratos_member_registration (
    member_id       varchar(255) not null primary key,
    cluster_id      varchar(255) not null references stratos_cluster (id),
    principal       varchar(255) not null references stratos_agent_principal (name),
    registered_at   timestamp    not null
);
create index ix_registration_principal on stratos_member_registration (principal);
