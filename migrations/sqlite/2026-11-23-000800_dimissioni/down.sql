DROP TABLE itl_officers;
DROP TABLE dimissioni_pins;
DROP TABLE dimissioni_deliveries;
DROP TABLE dimissioni_modules;
DROP TABLE rapporti;
