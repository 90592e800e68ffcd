# A data scientist's job: the mean age of the cohort. It runs unchanged against the mock (on the
# data scientist's machine) and against the private data (inside the data owner's job runner).
import csv
import json
import os

from syft_client import resolve_dataset_file_path

path = resolve_dataset_file_path("patients")
with open(path, newline="") as f:
    ages = [int(row["age"]) for row in csv.DictReader(f)]

result = {"rows": len(ages), "mean_age": round(sum(ages) / len(ages), 2)}
os.makedirs("outputs", exist_ok=True)
with open("outputs/result.json", "w") as f:
    json.dump(result, f)
print(json.dumps(result))
