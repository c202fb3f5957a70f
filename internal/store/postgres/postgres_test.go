package postgres

import (
	"context"
	"database/sql"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/pgtest"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/sqldb"
	"github.com/crosscheck-news/crosscheck/internal/store/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), pgtest.DSN(t))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestConcurrentOpenMigratesOnce(t *testing.T) {
	dsn := pgtest.DSN(t)
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			s, err := Open(context.Background(), dsn)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Errorf("concurrent Open: %v", err)
		}
	}
}

func TestFeaturesBackfill(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	old := sqldb.New(raw, dialect)
	if err := old.MigrateBefore(ctx, migrationFS, "features_meta"); err != nil {
		t.Fatal(err)
	}
	storetest.FeaturesBackfill(t, old, func(id string, data []byte) error {
		_, err := raw.ExecContext(ctx, `INSERT INTO article_features (article_id, data) VALUES ($1, $2)`, id, data)
		return err
	}, func() (store.Store, error) {
		old.Close()
		return Open(ctx, dsn)
	})
}
