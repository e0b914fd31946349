import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { publicApi } from '../lib/api';
import { groupProblems, problemSentences } from '../lib/problems';
import { Link, navigate, useLocation } from '../lib/router';
import { FormEnd, PasswordField, TextField, useStaffPage, useSubmit } from '../components/ui';
import { LIMITS } from '../lib/limits';

function afterLogin(next: string | null, role: string) {
  const safe = next && next.startsWith('/') && !next.startsWith('//') ? next : null;
  navigate(safe ?? (role === 'reviewer' ? '/review' : '/exams'), { replace: true });
}

/** The card of the login and sign-up pages: a title, the form, a line that links to the other page. */
function AuthCard({
  title,
  intro,
  onSubmit,
  footer,
  children,
}: {
  title: string;
  intro?: string;
  onSubmit: (e: FormEvent) => void;
  footer: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="page auth-page">
      <div className="card auth-card">
        <h1>{title}</h1>
        {intro ? <p className="muted">{intro}</p> : null}
        <form onSubmit={onSubmit} noValidate>
          {children}
        </form>
        <p className="muted center">{footer}</p>
      </div>
    </section>
  );
}

export function LoginPage() {
  const { t, lang, session } = useStaffPage('auth.login');
  const { search } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useSubmit();
  const problems = groupProblems(lang, error);
  const otherProblems = problemSentences(lang, error, {}, ['email', 'password']);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await publicApi().login({ email: email.trim(), password });
      session.set(r, r.user);
      afterLogin(search.get('next'), r.user.role);
    });
  };

  return (
    <AuthCard
      title={t('auth.login')}
      onSubmit={submit}
      footer={
        <>
          {t('auth.noAccount')} <Link to="/signup">{t('auth.signup')}</Link>
        </>
      }
    >
      <TextField label={t('auth.email')} field="email" type="email" autoComplete="username" value={email} onChange={setEmail} problems={problems} required />
      <PasswordField value={password} onChange={setPassword} problems={problems} required />
      <FormEnd id="login-problems" error={error} problems={otherProblems} busy={busy} label={t('auth.login')} block />
    </AuthCard>
  );
}

export function SignupPage() {
  const { t, lang, session } = useStaffPage('auth.signup');
  const [organization, setOrganization] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useSubmit();

  const problems = groupProblems(lang, error);
  const otherProblems = problemSentences(lang, error, {}, ['organization', 'name', 'email', 'password']);
  const local = new Map<string, string[]>();
  const submitted = error !== null;
  if (submitted && password.length > 0 && password.length < 10 && !problems.has('password')) {
    local.set('password', [t('auth.passwordShort')]);
  }
  const errs = (k: string) => problems.get(k) ?? local.get(k);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await publicApi().signup({ organization: organization.trim(), name: name.trim(), email: email.trim(), password });
      session.set(r, { ...r.user, organization: r.user.organization ?? r.organization });
      navigate('/exams', { replace: true });
    });
  };

  return (
    <AuthCard
      title={t('auth.signup')}
      intro={t('auth.signupIntro')}
      onSubmit={submit}
      footer={
        <>
          {t('auth.haveAccount')} <Link to="/login">{t('auth.login')}</Link>
        </>
      }
    >
      <TextField label={t('auth.organization')} field="organization" value={organization} onChange={setOrganization} errors={errs('organization')} maxLength={LIMITS.organization} autoComplete="organization" required />
      <TextField label={t('auth.name')} field="name" value={name} onChange={setName} errors={errs('name')} maxLength={LIMITS.personName} autoComplete="name" required />
      <TextField label={t('auth.email')} field="email" type="email" value={email} onChange={setEmail} errors={errs('email')} autoComplete="email" required />
      <PasswordField isNew value={password} onChange={setPassword} errors={errs('password')} required />
      <FormEnd id="signup-problems" error={error} problems={otherProblems} busy={busy} label={t('auth.createAccount')} block />
    </AuthCard>
  );
}
