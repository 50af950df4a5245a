SELECT id, email FROM users WHERE false;
