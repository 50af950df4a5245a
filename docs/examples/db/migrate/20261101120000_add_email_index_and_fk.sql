-- Release 16.4: index the users' emails and link issues to projects.
SET lock_timeout = '1s';

CREATE INDEX index_users_on_email ON users (email);

ALTER TABLE issues
    ADD CONSTRAINT fk_issues_project_id FOREIGN KEY (project_id) REFERENCES projects (id);

ALTER TABLE users ADD COLUMN settings jsonb DEFAULT '{}' NOT NULL;
