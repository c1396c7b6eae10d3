-- 007: a WeChat field that holds no WeChat ID ("同手机", "无", "-", "n/a") gives no duplicate key
-- (it made unrelated leads one). The keys stored before are cleared the same way: a WeChat ID is at
-- least 5 ASCII letters, digits, '_' or '-'; a phone number written there keeps the key it had.
UPDATE lead SET wechat_key = NULL
 WHERE wechat_key IS NOT NULL AND (length(wechat_key) < 5 OR wechat_key GLOB '*[^a-z0-9_+ -]*');
