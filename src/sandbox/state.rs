//! A gateway's state behind a lock, shared by the three gateways.

use std::sync::{Mutex, MutexGuard};

/// A gateway's state (its vault) behind a lock. Handlers take the lock for the whole of
/// a request, so each request sees and leaves consistent state.
#[derive(Debug, Default)]
pub(super) struct Locked<T> {
    state: Mutex<T>,
}

impl<T> Locked<T> {
    /// Locks the state. A panic in another request cannot leave it half-written (all
    /// validation happens before any change), so a poisoned lock is taken over.
    pub(super) fn lock(&self) -> MutexGuard<'_, T> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poisoned_lock_is_taken_over() {
        let locked = std::sync::Arc::new(Locked::<Vec<u8>>::default());
        let other = locked.clone();
        let panicked = std::thread::spawn(move || {
            let _guard = other.lock();
            panic!("a request panics while holding the lock");
        })
        .join();
        assert!(panicked.is_err());
        locked.lock().push(1);
        assert_eq!(*locked.lock(), [1]);
    }
}
