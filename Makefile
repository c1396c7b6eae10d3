# The front door. The real work is in CMakeLists.txt; this file installs what is missing, builds,
# and runs. `make run` and `make test` are the two commands of the README.

BUILD   ?= build
PREFIX  ?= /usr/local
DB      ?= funnel.db
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
DEMO_USER ?= zhangwei

.PHONY: all deps build run test bench bench-import install clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# Creates a demo database when there is none, then shows a sales consultant's work queue, the
# funnel stage table and this month's bottleneck.
run: build
	@if [ ! -e "$(DB)" ]; then $(BUILD)/src/funnel --db "$(DB)" init --demo; fi
	@echo
	@echo "== work queue of $(DEMO_USER) (funnel --db $(DB) queue --as $(DEMO_USER)) =="
	@$(BUILD)/src/funnel --db "$(DB)" queue --as $(DEMO_USER)
	@echo
	@echo "== funnel stages (funnel --db $(DB) stage list) =="
	@$(BUILD)/src/funnel --db "$(DB)" stage list
	@echo
	@echo "== where the funnel leaks this month (funnel --db $(DB) report bottleneck) =="
	@$(BUILD)/src/funnel --db "$(DB)" report bottleneck

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The analytics engine against SQLite on generated databases of SIZES leads (bench/README.md);
# make bench SIZES="100000 1000000 10000000" adds the 10M run.
SIZES ?= 100000 1000000

bench: build
	@if [ -x bench/run ]; then bench/run $(BUILD) $(SIZES); else echo "bench: no benchmarks yet"; fi

# funnel import end to end on generated lead lists of ROWS rows (CSV and XLSX), against sqlite3's
# own .import of the same CSV (bench/README.md).
ROWS ?= 1000000

bench-import: build
	bench/import-run $(BUILD) $(ROWS)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) build-asan
