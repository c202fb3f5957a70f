//go:build unix

package sqlite

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// claimLock returns how a store on the database at path claims a source
// for a poll: an exclusive lock on the file path+"-watch.lock", which
// the operating system lets go of when the process dies, so a killed
// watcher never leaves a source claimed. One poll at a time holds it,
// whatever its source: watchers on one SQLite file (one machine) take
// turns.
func claimLock(path string) func() (func(), bool, error) {
	name := path + "-watch.lock"
	return func() (func(), bool, error) {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, false, fmt.Errorf("claim lock: %w", err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, false, nil
			}
			return nil, false, fmt.Errorf("claim lock %s: %w", name, err)
		}
		return func() { f.Close() }, true, nil
	}
}
