import { useState } from 'react';
import type { FormEvent } from 'react';
import { useI18n, useStaff } from '../context';
import { publicApi } from '../lib/api';
import { groupProblems, problemSentences } from '../lib/problems';
import { Link, navigate, useLocation } from '../lib/router';
import { ErrorMessage, FieldErrors, TextField, usePageTitle } from '../components/ui';
import { LIMITS } from '../lib/limits';

function afterLogin(next: string | null, role: string) {
  const safe = next && next.startsWith('/') && !next.startsWith('//') ? next : null;
  navigate(safe ?? (role === 'reviewer' ? '/review' : '/exams'), { replace: true });
}

export function LoginPage() {
  const { t, lang } = useI18n();
  usePageTitle(t('auth.login'));
  const { session } = useStaff();
  const { search } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problems = groupProblems(lang, error);
  const otherProblems = problemSentences(lang, error, {}, ['email', 'password']);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await publicApi().login({ email: email.trim(), password });
      session.set(r, r.user);
      afterLogin(search.get('next'), r.user.role);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page auth-page">
      <div className="card auth-card">
        <h1>{t('auth.login')}</h1>
        <form onSubmit={submit} noValidate>
          <TextField label={t('auth.email')} field="email" type="email" autoComplete="username" value={email} onChange={setEmail} problems={problems} required />
          <TextField
            label={t('auth.password')}
            field="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            problems={problems}
            required
          />
          <ErrorMessage error={error} />
          <FieldErrors id="login-problems" errors={otherProblems} />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? t('common.working') : t('auth.login')}
          </button>
        </form>
        <p className="muted center">
          {t('auth.noAccount')} <Link to="/signup">{t('auth.signup')}</Link>
        </p>
      </div>
    </section>
  );
}

export function SignupPage() {
  const { t, lang } = useI18n();
  usePageTitle(t('auth.signup'));
  const { session } = useStaff();
  const [organization, setOrganization] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const problems = groupProblems(lang, error);
  const otherProblems = problemSentences(lang, error, {}, ['organization', 'name', 'email', 'password']);
  const local = new Map<string, string[]>();
  const submitted = error !== null;
  if (submitted && password.length > 0 && password.length < 10 && !problems.has('password')) {
    local.set('password', [t('auth.passwordShort')]);
  }
  const errs = (k: string) => problems.get(k) ?? local.get(k);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await publicApi().signup({ organization: organization.trim(), name: name.trim(), email: email.trim(), password });
      session.set(r, { ...r.user, organization: r.user.organization ?? r.organization });
      navigate('/exams', { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page auth-page">
      <div className="card auth-card">
        <h1>{t('auth.signup')}</h1>
        <p className="muted">{t('auth.signupIntro')}</p>
        <form onSubmit={submit} noValidate>
          <TextField label={t('auth.organization')} field="organization" value={organization} onChange={setOrganization} errors={errs('organization')} maxLength={LIMITS.organization} autoComplete="organization" required />
          <TextField label={t('auth.name')} field="name" value={name} onChange={setName} errors={errs('name')} maxLength={LIMITS.personName} autoComplete="name" required />
          <TextField label={t('auth.email')} field="email" type="email" value={email} onChange={setEmail} errors={errs('email')} autoComplete="email" required />
          <TextField
            label={t('auth.password')}
            field="password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            errors={errs('password')}
            hint={t('auth.passwordHint')}
            required
          />
          <ErrorMessage error={error} />
          <FieldErrors id="signup-problems" errors={otherProblems} />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? t('common.working') : t('auth.createAccount')}
          </button>
        </form>
        <p className="muted center">
          {t('auth.haveAccount')} <Link to="/login">{t('auth.login')}</Link>
        </p>
      </div>
    </section>
  );
}
