-- Indexes on `position` (issue #4 follow-up): a new entity takes MAX(position) + 1, and the
-- working configuration is read in position order; without an index each insert scanned its whole
-- table, so loading N routes one by one through the admin API cost O(N²).

CREATE INDEX upstreams_position ON upstreams(position);
CREATE INDEX routes_position ON routes(position);
CREATE INDEX tiers_position ON tiers(position);
CREATE INDEX consumers_position ON consumers(position);
CREATE INDEX jwt_keys_position ON jwt_keys(position);
CREATE INDEX orgs_position ON orgs(position);
