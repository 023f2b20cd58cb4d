-- Accounts: an id registered with REGISTER needs its password to LOGIN.
-- password_hash is a spring-security-crypto hash with its algorithm prefix
-- ({bcrypt}...); null for ids that never registered.
ALTER TABLE users ADD COLUMN password_hash VARCHAR(255);
ALTER TABLE users ADD COLUMN registered_at TIMESTAMP WITH TIME ZONE;
