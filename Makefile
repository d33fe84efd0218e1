# The course's entry points. `make lab` opens the course; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test format build course site bench lock clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --quiet -c requirements.lock -e ".[dev]"
	touch $@

lab: $(STAMP)  ## open the course in JupyterLab
	$(BIN)/jupyter lab notebooks/ $(LAB_ARGS)

test: $(STAMP)  ## lint, then every test (unit, build, notebooks)
	$(BIN)/ruff check course_utils course_tools lessons tests bench site
	$(BIN)/ruff format --check course_utils course_tools lessons tests bench site
	OMP_NUM_THREADS=$${OMP_NUM_THREADS:-1} $(BIN)/python -m pytest -n 2; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi; \
	exit $$rc

format: $(STAMP)
	$(BIN)/ruff check --fix course_utils course_tools lessons tests bench site
	$(BIN)/ruff format course_utils course_tools lessons tests bench site

build: $(STAMP)  ## rebuild notebooks/, exercises/, solutions/ from lessons/
	$(BIN)/course build

course: $(STAMP)  ## run every lesson, full profile, and write reports/course.md
	$(BIN)/course run --profile full

site: $(STAMP)  ## the course as a website in build/site/ (COURSE_REPO_URL=... adds Binder links)
	$(BIN)/python site/build.py --out build/site

bench: $(STAMP)  ## speed and accuracy benchmarks: prints tables, writes reports/bench/*.json
	$(BIN)/python bench/run_all.py

lock: $(STAMP)  ## refresh requirements.lock from the environment CI tested
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^course-utils' > requirements.lock

clean:
	rm -rf $(VENV)
