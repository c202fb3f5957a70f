package sqldb_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/pgtest"
	"github.com/crosscheck-news/crosscheck/internal/store"
	"github.com/crosscheck-news/crosscheck/internal/store/postgres"
	"github.com/crosscheck-news/crosscheck/internal/store/sqldb"
	"github.com/crosscheck-news/crosscheck/internal/store/sqlite"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestLater runs on both databases: on SQLite a queued statement runs at
// once, on PostgreSQL the queue travels in one round trip.
func TestLater(t *testing.T) {
	for _, c := range []struct {
		name string
		open func(t *testing.T) (*sqldb.DB, error)
	}{
		{"sqlite", func(t *testing.T) (*sqldb.DB, error) {
			return sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "later.db"))
		}},
		{"postgres", func(t *testing.T) (*sqldb.DB, error) {
			return postgres.Open(context.Background(), pgtest.DSN(t))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, err := c.open(t)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			testLater(t, db)
			testLaterThenExec(t, db, c.name == "postgres")
			testBatchTerms(t, db)
			testKeepsConnections(t, db)
		})
	}
}

// testLater: statements queued with Tx.Later run before the next read
// and at the end of the transaction, with values of every kind the
// store passes (text with quotes and backslashes, numbers, NULL, times);
// a failing queued statement fails its transaction, which writes nothing,
// and in a batch undoes only its own savepoint.
func testLater(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	if _, err := db.SQL().ExecContext(ctx, `CREATE TABLE later_test (k TEXT PRIMARY KEY, n BIGINT, x DOUBLE PRECISION, at TIMESTAMP)`); err != nil {
		t.Fatal(err)
	}
	count := func(db *sqldb.DB) int {
		t.Helper()
		var n int
		err := db.Transact(ctx, func(tx *sqldb.Tx) error {
			return tx.QueryRow(ctx, `SELECT COUNT(*) FROM later_test`).Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	odd := `it's a "quote" \ and $1 and ? ünï`
	err := db.Transact(ctx, func(tx *sqldb.Tx) error {
		if err := tx.Later(ctx, `INSERT INTO later_test (k, n, x, at) VALUES (?, ?, ?, ?)`, odd, int64(-9007199254740993), -0.125, "2026-03-01T09:30:00.5Z"); err != nil {
			return err
		}
		if err := tx.Later(ctx, `INSERT INTO later_test (k, n, x, at) VALUES (?, ?, ?, ?)`, "null", nil, nil, nil); err != nil {
			return err
		}
		// A read sees what was queued before it.
		var k string
		var n int64
		var x float64
		if err := tx.QueryRow(ctx, `SELECT k, n, x FROM later_test WHERE n IS NOT NULL`).Scan(&k, &n, &x); err != nil {
			return err
		}
		if k != odd || n != -9007199254740993 || x != -0.125 {
			t.Errorf("read back (%q, %d, %v); want (%q, -9007199254740993, -0.125)", k, n, x, odd)
		}
		// The last queued statement runs at the end, with nothing after it.
		return tx.Later(ctx, `UPDATE later_test SET n = ? WHERE k = ?`, int64(7), "null")
	})
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := db.Transact(ctx, func(tx *sqldb.Tx) error {
		return tx.QueryRow(ctx, `SELECT n FROM later_test WHERE k = ?`, "null").Scan(&n)
	}); err != nil || n != 7 {
		t.Errorf("queued last statement: n = %d, %v; want 7", n, err)
	}

	// A queued statement that fails (a duplicate key), with nothing read
	// after it: the transaction fails and writes nothing.
	err = db.Transact(ctx, func(tx *sqldb.Tx) error {
		if err := tx.Later(ctx, `INSERT INTO later_test (k) VALUES (?)`, "fresh"); err != nil {
			return err
		}
		return tx.Later(ctx, `INSERT INTO later_test (k) VALUES (?)`, odd)
	})
	if err == nil {
		t.Error("a failing queued statement did not fail its transaction")
	}
	if got := count(db); got != 2 {
		t.Errorf("after a failed transaction: %d rows; want 2", got)
	}

	// In a batch, each Transact is a savepoint: the failing one undoes
	// itself, its neighbours commit.
	b, bdb := begin(t, db)
	put := func(keys ...string) error {
		return bdb.Transact(ctx, func(tx *sqldb.Tx) error {
			for _, k := range keys {
				if err := tx.Later(ctx, `INSERT INTO later_test (k) VALUES (?)`, k); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := put("b1"); err != nil {
		t.Fatal(err)
	}
	if err := put("b2", "b1"); err == nil || !strings.Contains(strings.ToLower(err.Error()), "unique") {
		t.Errorf("duplicate key in a batch: err = %v; want a unique-constraint error", err)
	}
	if err := put("b3"); err != nil {
		t.Fatalf("write after a failed one in the batch: %v", err)
	}
	if err := b.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var keys []string
	rows, err := db.SQL().QueryContext(ctx, `SELECT k FROM later_test WHERE k LIKE 'b%' ORDER BY k`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	if strings.Join(keys, ",") != "b1,b3" {
		t.Errorf("batch committed %v; want [b1 b3]", keys)
	}
}

// testLaterThenExec: a statement run after queued ones reports the rows
// it affected, itself (it travels with them on PostgreSQL). On
// PostgreSQL the queued statements are prepared and kept on the
// connection, so a second article's writes are not parsed and planned
// again.
func testLaterThenExec(t *testing.T, db *sqldb.DB, postgres bool) {
	ctx := context.Background()
	b, bdb := begin(t, db)
	const insert = `INSERT INTO later_test (k, n) VALUES (?, ?)`
	for _, c := range []struct {
		keys []string
		want int64 // rows the update affects: these and the earlier ones
	}{
		{[]string{"e1", "e2"}, 2},
		{[]string{"e3", "e4"}, 4},
	} {
		ks := c.keys
		err := bdb.Transact(ctx, func(tx *sqldb.Tx) error {
			for _, k := range ks {
				if err := tx.Later(ctx, insert, k, int64(40)); err != nil {
					return err
				}
			}
			res, err := tx.Exec(ctx, `UPDATE later_test SET n = n + 1 WHERE n >= ?`, int64(40))
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil || n != c.want {
				t.Errorf("after queuing %v: the update affected %d rows, %v; want %d", ks, n, err, c.want)
			}
			if !postgres {
				return nil
			}
			var prepared int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM pg_prepared_statements WHERE statement = ?`, strings.ReplaceAll(strings.Replace(insert, "?", "$1", 1), "?", "$2")).Scan(&prepared); err != nil {
				return err
			}
			if prepared != 1 {
				t.Errorf("after queuing %v: the insert is prepared %d times on the connection; want once", ks, prepared)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

// begin opens a batch on db, rolled back when the test ends unless it
// was committed, and returns it with its handle.
func begin(t *testing.T, db *sqldb.DB) (store.Batch, *sqldb.DB) {
	t.Helper()
	b, err := db.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Rollback() })
	return b, b.Store().(*sqldb.DB)
}

// testBatchTerms: a batch sums its savepoints' document-frequency
// increments and writes them at Commit; a savepoint that fails after
// counting its terms (here at its queued last statement) counts none.
func testBatchTerms(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	b, bdb := begin(t, db)
	count := func(terms []string, fail bool) error {
		return bdb.Transact(ctx, func(tx *sqldb.Tx) error {
			if err := sqldb.CountTerms(ctx, tx, terms); err != nil {
				return err
			}
			if fail { // b1 is stored already: a unique-key error
				return tx.Later(ctx, `INSERT INTO later_test (k) VALUES (?)`, "b1")
			}
			return nil
		})
	}
	if err := count([]string{"ferry", "quay", "ferry"}, false); err != nil {
		t.Fatal(err)
	}
	if err := count([]string{"ferry", "harbour"}, true); err == nil {
		t.Fatal("a failing savepoint succeeded")
	}
	if err := count([]string{"ferry"}, false); err != nil {
		t.Fatal(err)
	}
	check := func(st *sqldb.DB, want map[string]int, wantN int, when string) {
		t.Helper()
		got, n, err := st.TermStats(ctx, []string{"ferry", "quay", "harbour", "quay"})
		if err != nil || n != wantN || got["ferry"] != want["ferry"] || got["quay"] != want["quay"] || got["harbour"] != 0 {
			t.Errorf("%s: TermStats = %v, %d, %v; want %v, %d", when, got, n, err, want, wantN)
		}
	}
	check(bdb, map[string]int{"ferry": 2, "quay": 1}, 2, "in the batch")
	check(db, nil, 0, "outside, before Commit")
	if err := b.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	check(db, map[string]int{"ferry": 2, "quay": 1}, 2, "after Commit")
}

// testKeepsConnections: a handle keeps the connections ingest uses at
// once (a reader per CPU and its writer) open when they come free,
// instead of closing all but two: each closed one took its page cache
// and prepared statements with it, and was opened again cold.
func testKeepsConnections(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	n := max(6, runtime.GOMAXPROCS(0)+2) // ingest: a reader per CPU, the writer, a spare
	var conns []*sql.Conn
	for range n {
		c, err := db.SQL().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.Close()
	}
	st := db.SQL().Stats()
	if st.Idle < n || st.MaxIdleClosed != 0 {
		t.Errorf("after %d connections came free: %d idle, %d closed as surplus; want all %d kept", n, st.Idle, st.MaxIdleClosed, n)
	}
}
