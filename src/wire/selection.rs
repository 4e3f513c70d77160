//! The parts of an answer a step reads: the subtree at the end of each of its paths,
//! and the way down to it. A JSON answer is then read into a tree of those parts only
//! (`json::parse_selected`): building every map of an answer (a `String` per key and
//! value, a hash per key) was most of the cost of reading it, and a step that checks
//! three members of a customer has no use for the other forty.
//!
//! What the paths select from the partial tree is what they select from the whole one:
//! maps keep the members on the way (in their order), lists keep their length (an item
//! no path reaches is `null`), and the end of each path is read whole.

/// One step of a path: a member by name, an item by index (from the end when
/// negative), or every member or item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick<'p> {
    /// `.name`
    Name(&'p str),
    /// `[n]`
    Index(i64),
    /// `.*` or `[*]`
    Any,
}

/// Longest path a selection takes, in steps. An answer is at most 128 levels deep (the
/// JSON reader's bound), so a longer path selects nothing a shorter one could not; it
/// also bounds the recursion of building a selection.
pub const MAX_STEPS: usize = 128;

/// Most parts a selection is made of. A wildcard's selection is joined to each named
/// member and indexed item beside it, so some sets of paths (`$.a.*.*`, `$.*.b.*`,
/// `$.*.*.c`, ...) make selections that grow fast with their number: such a step reads
/// its answers whole instead.
pub const MAX_PARTS: usize = 1024;

/// The parts of a document some paths read. Built with [`Selection::of`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection<'p> {
    /// A path ends here: the subtree is read whole.
    whole: bool,
    names: Vec<(&'p str, Selection<'p>)>,
    indexes: Vec<(i64, Selection<'p>)>,
    any: Option<Box<Selection<'p>>>,
    /// What every item is read with when an index counts from the end: which item it
    /// names is known only once the list is read.
    every_item: Option<Box<Selection<'p>>>,
}

impl<'p> Selection<'p> {
    /// The selection of `paths`; `None` when one is longer than [`MAX_STEPS`] or the
    /// selection would have more than [`MAX_PARTS`] parts.
    pub fn of<I, P>(paths: I) -> Option<Selection<'p>>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[Pick<'p>]>,
    {
        let mut selection = Selection::default();
        let mut parts = Parts(0);
        for path in paths {
            let path = path.as_ref();
            if path.len() > MAX_STEPS {
                return None;
            }
            selection.add(path, &mut parts)?;
        }
        selection.seal(&mut parts)?;
        Some(selection)
    }

    fn add(&mut self, path: &[Pick<'p>], parts: &mut Parts) -> Option<()> {
        let Some((first, rest)) = path.split_first() else {
            self.whole = true;
            return Some(());
        };
        let child = match *first {
            Pick::Name(name) => child_of(&mut self.names, name, parts)?,
            Pick::Index(index) => child_of(&mut self.indexes, index, parts)?,
            Pick::Any => any_of(&mut self.any, parts)?,
        };
        child.add(rest, parts)
    }

    /// Adds what `other` reads to what this reads.
    fn merge(&mut self, other: &Selection<'p>, parts: &mut Parts) -> Option<()> {
        self.whole |= other.whole;
        for (name, theirs) in &other.names {
            child_of(&mut self.names, *name, parts)?.merge(theirs, parts)?;
        }
        for (index, theirs) in &other.indexes {
            child_of(&mut self.indexes, *index, parts)?.merge(theirs, parts)?;
        }
        if let Some(theirs) = &other.any {
            any_of(&mut self.any, parts)?.merge(theirs, parts)?;
        }
        Some(())
    }

    /// Gives each named member and indexed item what the wildcard reads too, so that
    /// reading a member needs one selection, and prepares `every_item`.
    fn seal(&mut self, parts: &mut Parts) -> Option<()> {
        if let Some(any) = self.any.clone() {
            for child in self.children_mut() {
                child.merge(&any, parts)?;
            }
        }
        for child in self.children_mut() {
            child.seal(parts)?;
        }
        if let Some(any) = &mut self.any {
            any.seal(parts)?;
        }
        if self.indexes.iter().any(|(index, _)| *index < 0) {
            let mut every = Selection::default();
            if let Some(any) = &self.any {
                every.merge(any, parts)?;
            }
            for (_, child) in &self.indexes {
                every.merge(child, parts)?;
            }
            every.seal(parts)?;
            self.every_item = Some(Box::new(every));
        }
        Some(())
    }

    fn children_mut(&mut self) -> impl Iterator<Item = &mut Selection<'p>> {
        let named = self.names.iter_mut().map(|(_, child)| child);
        named.chain(self.indexes.iter_mut().map(|(_, child)| child))
    }

    /// Whether the subtree here is read whole.
    pub fn is_whole(&self) -> bool {
        self.whole
    }

    /// What is read of the member `name`, if anything.
    pub fn member(&self, name: &str) -> Option<&Selection<'p>> {
        self.member_where(|n| n == name)
    }

    /// What is read of the member whose name `is` accepts, if anything: for a reader
    /// that can tell a name without writing it (an XML element's, snake-cased).
    pub fn member_where(&self, is: impl Fn(&str) -> bool) -> Option<&Selection<'p>> {
        self.names
            .iter()
            .find(|(n, _)| is(n))
            .map(|(_, s)| s)
            .or(self.any.as_deref())
    }

    /// What is read of the item at `index` (from the start), if anything.
    pub fn item(&self, index: usize) -> Option<&Selection<'p>> {
        if let Some(every) = &self.every_item {
            return Some(every);
        }
        self.indexes
            .iter()
            .find(|(i, _)| usize::try_from(*i).is_ok_and(|i| i == index))
            .map(|(_, s)| s)
            .or(self.any.as_deref())
    }
}

/// The parts made so far, against [`MAX_PARTS`].
struct Parts(usize);

impl Parts {
    fn one_more(&mut self) -> Option<()> {
        self.0 += 1;
        (self.0 <= MAX_PARTS).then_some(())
    }
}

fn child_of<'s, 'p, K: PartialEq>(
    children: &'s mut Vec<(K, Selection<'p>)>,
    key: K,
    parts: &mut Parts,
) -> Option<&'s mut Selection<'p>> {
    let at = match children.iter().position(|(k, _)| *k == key) {
        Some(at) => at,
        None => {
            parts.one_more()?;
            children.push((key, Selection::default()));
            children.len() - 1
        }
    };
    Some(&mut children[at].1)
}

fn any_of<'s, 'p>(
    any: &'s mut Option<Box<Selection<'p>>>,
    parts: &mut Parts,
) -> Option<&'s mut Selection<'p>> {
    if any.is_none() {
        parts.one_more()?;
    }
    Some(any.get_or_insert_with(Box::default))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wildcard_reaches_named_members_and_items_too() {
        let s = Selection::of([
            vec![Pick::Name("a"), Pick::Name("x")],
            vec![Pick::Any, Pick::Name("y")],
        ])
        .unwrap();
        let a = s.member("a").unwrap();
        assert!(a.member("x").unwrap().is_whole());
        assert!(a.member("y").unwrap().is_whole());
        let b = s.member("b").unwrap();
        assert!(b.member("x").is_none());
        assert!(b.member("y").unwrap().is_whole());
    }

    #[test]
    fn an_index_from_the_end_reads_every_item() {
        let s = Selection::of([vec![Pick::Index(-1), Pick::Name("id")]]).unwrap();
        for i in 0..3 {
            assert!(s.item(i).unwrap().member("id").unwrap().is_whole());
        }
        let s = Selection::of([vec![Pick::Index(1)]]).unwrap();
        assert!(s.item(0).is_none() && s.item(1).unwrap().is_whole());
    }

    #[test]
    fn no_path_reads_nothing_and_the_empty_path_reads_all() {
        let none = Selection::of(Vec::<Vec<Pick>>::new()).unwrap();
        assert!(!none.is_whole() && none.member("a").is_none() && none.item(0).is_none());
        assert!(Selection::of([Vec::<Pick>::new()]).unwrap().is_whole());
        assert!(Selection::of([vec![Pick::Any; MAX_STEPS + 1]]).is_none());
    }

    #[test]
    fn selections_that_grow_too_fast_are_refused() {
        // Path i is a name at level i and wildcards elsewhere: joining wildcards to
        // names doubles the parts with each path.
        let names: Vec<String> = (0..24).map(|i| format!("n{i}")).collect();
        let paths: Vec<Vec<Pick>> = (0..24)
            .map(|i| {
                (0..24)
                    .map(|level| {
                        if level == i {
                            Pick::Name(&names[i])
                        } else {
                            Pick::Any
                        }
                    })
                    .collect()
            })
            .collect();
        assert!(Selection::of(&paths[..4]).is_some());
        assert!(Selection::of(&paths).is_none());
    }
}
