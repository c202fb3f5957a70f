package web

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestOpenAPICoversRoutes: every GET route under /api/ is described in
// docs/openapi.yaml, and the file describes no route that does not exist.
func TestOpenAPICoversRoutes(t *testing.T) {
	routes, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := os.ReadFile("../../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, m := range regexp.MustCompile(`"GET (/api/[^"]+)"`).FindAllStringSubmatch(string(routes), -1) {
		served[m[1]] = true
	}
	described := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  (/api/\S+):$`).FindAllStringSubmatch(string(spec), -1) {
		described[m[1]] = true
	}
	if len(served) < 10 {
		t.Fatalf("found %d API routes in routes.go", len(served))
	}
	for r := range served {
		if !described[r] {
			t.Errorf("%s is served but not in docs/openapi.yaml", r)
		}
	}
	for d := range described {
		if !served[d] {
			t.Errorf("docs/openapi.yaml describes %s, which is not served", d)
		}
	}
	if !strings.HasPrefix(string(spec), "openapi: 3.1.0") {
		t.Errorf("docs/openapi.yaml is not OpenAPI 3.1")
	}
}
