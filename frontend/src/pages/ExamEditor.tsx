// The exam editor lives in ./editor/ (a reducer, one component per part).
export { ExamEditorPage } from './editor/ExamEditorPage';
