DROP INDEX deleghe_client_list;
