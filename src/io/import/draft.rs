//! Reading a file's records with an import's checks, without storing them.

use super::*;

/// Reads the rows of one file of record type `T` (named `name` in messages) with every check
/// an import makes, and returns the records without storing anything (e.g. a 配分シナリオ tried
/// by `kyodo report allocation`). Ids are 0.
///
/// Errors: [`ImportError::Rows`] listing every problem, placed at `name`:line:column; a store
/// error reading names.
pub fn read_records<T: RecordType>(
    store: &Store,
    name: &str,
    bytes: Vec<u8>,
) -> Result<Vec<T>, ImportError> {
    let mut ctx = Ctx::new(store).map_err(ImportError::Store)?;
    ctx.collected = Some(Vec::new());
    let mut errors = Vec::new();
    let src = Named {
        name: name.to_string(),
        input: super::Input::Bytes(bytes),
    };
    ctx.read_file(T::KIND.file(), src, &mut errors, &|_| {});
    if !errors.is_empty() {
        return Err(ImportError::Rows(errors));
    }
    Ok(ctx
        .collected
        .unwrap_or_default()
        .into_iter()
        .filter_map(|r| r.downcast::<T>().ok().map(|r| *r))
        .collect())
}
