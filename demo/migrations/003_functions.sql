-- A SECURITY DEFINER function without a pinned search_path, executable by everyone,
-- building SQL from its argument.
CREATE FUNCTION app.close_account(p_table text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  EXECUTE 'DELETE FROM ' || p_table;
END;
$$;
