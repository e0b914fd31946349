import { useState } from 'react';
import type { FormEvent } from 'react';
import { groupProblems, problemSentences } from '../lib/problems';
import type { Role } from '../lib/types';
import { ErrorMessage, FormEnd, Loading, Notice, PasswordField, SelectField, TextField, useAsync, useStaffPage, useSubmit, PageHeader } from '../components/ui';
import { LIMITS } from '../lib/limits';

export function UsersPage() {
  const { t, lang, api } = useStaffPage('users.title');
  const list = useAsync(() => api.listUsers(), [api]);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('reviewer');
  const { busy, error, run } = useSubmit();
  const [done, setDone] = useState<string | null>(null);
  const problems = groupProblems(lang, error);
  const otherProblems = problemSentences(lang, error, {}, ['name', 'email', 'password', 'role']);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    void run(async () => {
      const u = await api.createUser({ name: name.trim(), email: email.trim(), password, role });
      setDone(t('users.created', { name: u.name ?? name }));
      setName('');
      setEmail('');
      setPassword('');
      list.reload();
    });
  };

  return (
    <section className="page">
      <PageHeader title={t('users.title')} />
      <div className="grid-2 top">
        <div className="card">
          <h2>{t('users.list')}</h2>
          {list.loading && !list.data ? <Loading /> : null}
          <ErrorMessage error={list.error} />
          <ul className="user-list">
            {(list.data?.items ?? []).map((u) => (
              <li key={u.id}>
                <strong>{u.name}</strong> <span className="muted">{u.email}</span> <span className="badge">{t(`role.${u.role}`)}</span>
              </li>
            ))}
          </ul>
        </div>
        <form className="card" onSubmit={submit} noValidate aria-labelledby="new-user-h">
          <h2 id="new-user-h">{t('users.new')}</h2>
          <TextField label={t('auth.name')} field="name" value={name} onChange={setName} problems={problems} maxLength={LIMITS.personName} autoComplete="off" />
          <TextField label={t('auth.email')} field="email" type="email" value={email} onChange={setEmail} problems={problems} autoComplete="off" />
          <PasswordField isNew value={password} onChange={setPassword} problems={problems} />
          <SelectField<Role>
            label={t('users.role')}
            field="role"
            value={role}
            onChange={setRole}
            options={(['reviewer', 'recruiter', 'admin'] as Role[]).map((r) => ({ value: r, label: t(`role.${r}`) }))}
            errors={problems.get('role')}
          />
          <FormEnd id="new-user-problems" error={error} problems={otherProblems} busy={busy} label={t('users.create')}>
            {done ? <Notice kind="success">{done}</Notice> : null}
          </FormEnd>
        </form>
      </div>
    </section>
  );
}
