DROP TABLE support_retired_links;
