-- The address a file was uploaded from: the sender's quota (chat.limits.file-quota)
-- counts per address as well as per id, so switching ids does not get around it.
-- Null for files stored before this column existed.
ALTER TABLE files ADD COLUMN from_address VARCHAR(64);
